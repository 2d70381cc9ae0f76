import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IntentStatus } from '../domain/intent.js';
import type { IntentLookup, IntentPage } from '../services/list-intents.service.js';
import { batchGet } from './dynamo-client.js';
import { fromIntentItem } from './intent.repository.js';
import { decodeCursor, encodeCursor, queryPage } from './paged-query.js';
import { INDEXES } from './table-schema.js';

const KEY_ATTRIBUTES = ['pk', 'sk', INDEXES.byAppReference.partitionKey, INDEXES.byAppReference.sortKey];

// Reads gsi2 ("<appId>#<referenceId>", sorted by createdAt), newest first. The index holds only
// keys and a few fixed attributes (ADR 0023), so each read's intents are then read from the table
// (one BatchGet) and the status filter applies to them.
export class DynamoIntentLookup implements IntentLookup {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listByReference(appId: string, referenceId: string, options: { status: IntentStatus | null; limit: number; cursor: string | null }): Promise<IntentPage> {
    const { name, partitionKey } = INDEXES.byAppReference;
    const partition = `${appId}#${referenceId}`;
    const startKey = decodeCursor(
      options.cursor,
      { attribute: partitionKey, value: partition, allowed: KEY_ATTRIBUTES },
      'cursor is not valid: pass nextCursor from the previous page of the same referenceId',
    );
    const { items, lastKey } = await queryPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey, '#entity': 'entity' },
        ExpressionAttributeValues: { ':pk': partition, ':intent': 'intent' },
        FilterExpression: '#entity = :intent',
        ScanIndexForward: false,
      },
      options.limit,
      startKey,
      async (entries) => (await this.intentsOf(entries)).filter((item) => options.status === null || item.status === options.status),
    );
    return { items: items.map(fromIntentItem), nextCursor: encodeCursor(lastKey) };
  }

  // The intents of these index entries, from the table, in the entries' order.
  private async intentsOf(entries: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const items = await batchGet(this.db, this.tableName, entries.map(({ pk, sk }) => ({ pk, sk })));
    const byPk = new Map(items.map((item) => [item.pk, item]));
    return entries.flatMap<Record<string, unknown>>((entry) => byPk.get(entry.pk) ?? []);
  }
}
