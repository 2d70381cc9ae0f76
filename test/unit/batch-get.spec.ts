import { describe, expect, it } from '@jest/globals';
import type { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../src/storage/dynamo-client.js';

// A BatchGet may answer with some keys unprocessed (throttling): they are asked again, and a key
// never answered is an error, never a silently shorter page.
describe('batchGet', () => {
  const key = (id: string) => ({ pk: `INTENT#${id}`, sk: 'INTENT' });
  // Answers each request with its first key only, the rest left unprocessed, `rounds` times.
  const oneAtATime = (rounds: number) => {
    const asked: number[] = [];
    const db = {
      send: async (command: BatchGetCommand) => {
        const keys = command.input.RequestItems?.t?.Keys ?? [];
        asked.push(keys.length);
        if (asked.length > rounds) return { Responses: { t: [] }, UnprocessedKeys: { t: { Keys: keys } } };
        return { Responses: { t: keys.slice(0, 1) }, UnprocessedKeys: keys.length > 1 ? { t: { Keys: keys.slice(1) } } : {} };
      },
    } as unknown as DynamoDBDocumentClient;
    return { db, asked };
  };

  it('asks again for the keys left unprocessed until every item is read', async () => {
    const { db, asked } = oneAtATime(Infinity);
    const items = await batchGet(db, 't', [key('a'), key('b'), key('c')], { attempts: 4, baseDelayMs: 0 });
    expect(items).toEqual([key('a'), key('b'), key('c')]);
    expect(asked).toEqual([3, 2, 1]);
  });

  it('throws when keys are still unprocessed after its attempts', async () => {
    const { db } = oneAtATime(1);
    await expect(batchGet(db, 't', [key('a'), key('b'), key('c')], { attempts: 3, baseDelayMs: 0 })).rejects.toThrow('BatchGet left 2 keys unprocessed after 3 attempts');
  });

  it('sends nothing for no keys', async () => {
    const { db, asked } = oneAtATime(Infinity);
    expect(await batchGet(db, 't', [], { attempts: 4, baseDelayMs: 0 })).toEqual([]);
    expect(asked).toEqual([]);
  });
});
