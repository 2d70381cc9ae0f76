import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoEventStore } from '../../src/sdk/index.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

describe('DynamoEventStore (DynamoDB Local)', () => {
  let table: TestTable;
  let now = 1_772_971_200_000;
  const store = () =>
    new DynamoEventStore({
      client: table.db,
      commands: { PutCommand, UpdateCommand, DeleteCommand },
      tableName: table.tableName,
      key: (eventId) => ({ pk: `PROCESSED_EVENT#${eventId}`, sk: 'PROCESSED_EVENT' }),
      leaseSeconds: 60,
      now: () => now,
    });

  beforeAll(async () => {
    table = await createTestTable();
  });
  afterAll(async () => {
    await table.drop();
  });

  it('the first claim wins, concurrent ones lose', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => store().claim('e-1')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a released claim can be claimed again; a completed one never', async () => {
    expect(await store().claim('e-2')).toBe(true);
    await store().release('e-2');
    expect(await store().claim('e-2')).toBe(true);
    await store().complete('e-2');
    await store().release('e-2'); // a late release does not forget a handled event
    now += 3_600_000;
    expect(await store().claim('e-2')).toBe(false);
  });

  it('a claim whose handler died (lease over) can be taken again', async () => {
    expect(await store().claim('e-3')).toBe(true);
    now += 30_000;
    expect(await store().claim('e-3')).toBe(false);
    now += 31_000;
    expect(await store().claim('e-3')).toBe(true);
  });
});
