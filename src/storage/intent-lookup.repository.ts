import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IntentStatus } from '../domain/intent.js';
import type { IntentLookup, IntentPage } from '../services/list-intents.service.js';
import { fromIntentItem } from './intent.repository.js';
import { decodeCursor, encodeCursor, queryPage } from './paged-query.js';
import { INDEXES } from './table-schema.js';

const KEY_ATTRIBUTES = ['pk', 'sk', INDEXES.byAppReference.partitionKey, INDEXES.byAppReference.sortKey];

// Reads gsi2 ("<appId>#<referenceId>", sorted by createdAt), newest first.
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
        ExpressionAttributeNames: { '#pk': partitionKey, '#entity': 'entity', ...(options.status ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: { ':pk': partition, ':intent': 'intent', ...(options.status ? { ':status': options.status } : {}) },
        FilterExpression: options.status ? '#entity = :intent AND #status = :status' : '#entity = :intent',
        ScanIndexForward: false,
      },
      options.limit,
      startKey,
    );
    return { items: items.map(fromIntentItem), nextCursor: encodeCursor(lastKey) };
  }
}

