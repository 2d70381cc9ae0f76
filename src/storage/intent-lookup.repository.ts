import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { validationError } from '../domain/errors.js';
import type { IntentStatus } from '../domain/intent.js';
import type { IntentLookup, IntentPage } from '../services/list-intents.service.js';
import { fromIntentItem } from './intent.repository.js';
import { INDEXES } from './table-schema.js';

type Key = Record<string, unknown>;

// A filtered page stops after this many index reads even if still short (the cursor goes on).
const MAX_QUERIES_PER_PAGE = 10;
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
    let startKey = decodeCursor(options.cursor, partition);
    const found: Record<string, unknown>[] = [];
    // Each read asks only for what the page still lacks, so the cursor is exact.
    for (let query = 0; query < MAX_QUERIES_PER_PAGE && found.length < options.limit; query++) {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': partitionKey, '#entity': 'entity', ...(options.status ? { '#status': 'status' } : {}) },
          ExpressionAttributeValues: { ':pk': partition, ':intent': 'intent', ...(options.status ? { ':status': options.status } : {}) },
          FilterExpression: options.status ? '#entity = :intent AND #status = :status' : '#entity = :intent',
          ScanIndexForward: false,
          Limit: options.limit - found.length,
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...Items);
      startKey = LastEvaluatedKey;
      if (!startKey) break;
    }
    return { items: found.map(fromIntentItem), nextCursor: encodeCursor(startKey) };
  }
}

// The index position DynamoDB gave back, opaque to clients (base64url JSON), bound to one partition.
function encodeCursor(key: Key | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

function decodeCursor(cursor: string | null, partition: string): Key | undefined {
  if (cursor === null) return undefined;
  const invalid = () => validationError('cursor is not valid: pass nextCursor from the previous page of the same referenceId');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const valid =
    typeof key === 'object' && key !== null && !Array.isArray(key) &&
    (key as Key)[INDEXES.byAppReference.partitionKey] === partition &&
    Object.keys(key).every((name) => KEY_ATTRIBUTES.includes(name)) &&
    Object.values(key).every((value) => typeof value === 'string');
  if (!valid) throw invalid();
  return key as Key;
}
