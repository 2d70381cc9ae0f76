import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { heldEventsOf } from './held-events.js';
import { fromIntentItem, inWorkQueue } from './intent.repository.js';
import { queryPage } from './paged-query.js';
import { HELD_EVENTS, INDEXES, keys, OPEN_WORK } from './table-schema.js';

// Intents in the work queue that still hold events, due before `dueBefore`, oldest first. A
// filtered query: it reads the due intents in front of them too, a bounded number of pages.
export async function queryHolders(db: DynamoDBDocumentClient, tableName: string, dueBefore: string, limit: number): Promise<Record<string, unknown>[]> {
  const { items } = await queryPage(
    db,
    {
      TableName: tableName,
      IndexName: INDEXES.openWork.name,
      KeyConditionExpression: 'gsi3pk = :kind AND gsi3sk < :before',
      FilterExpression: 'attribute_exists(#holds)',
      ExpressionAttributeNames: { '#holds': HELD_EVENTS.flag },
      ExpressionAttributeValues: { ':kind': OPEN_WORK.intent, ':before': dueBefore },
    },
    limit,
    undefined,
  );
  return items;
}

// Losing a race re-reads the intent; its held events change only by commits and releases.
const MAX_ATTEMPTS = 8;

// Takes a published event off its intent. The last one clears the flag and, once the intent has
// nothing left for the reconciler, its work-queue entry. Conditioned on the item as read (version
// and list), so a commit or another release landing meanwhile is never overwritten. Idempotent.
export async function releaseHeldEvent(db: DynamoDBDocumentClient, tableName: string, intentId: string, eventId: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.intent(intentId), ConsistentRead: true }));
    const held = Item ? heldEventsOf(Item) : [];
    const index = held.findIndex((event) => event.id === eventId);
    if (!Item || index < 0) return;
    const last = held.length === 1;
    const leaves = last && !inWorkQueue(fromIntentItem(Item));
    const removes = last ? ['#held', '#holds', ...(leaves ? ['gsi3pk', 'gsi3sk'] : [])] : [`#held[${index}]`];
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.intent(intentId),
          UpdateExpression: `REMOVE ${removes.join(', ')}`,
          ConditionExpression: `#version = :version AND size(#held) = :count AND #held[${index}].id = :eventId`,
          ExpressionAttributeNames: { '#version': 'version', '#held': HELD_EVENTS.list, ...(last ? { '#holds': HELD_EVENTS.flag } : {}) },
          ExpressionAttributeValues: { ':version': Item.version, ':count': held.length, ':eventId': eventId },
        }),
      );
      return;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
  throw new Error(`Intent ${intentId} kept changing while releasing event ${eventId}`);
}
