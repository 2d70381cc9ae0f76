import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentEvent } from '../domain/payment-event.js';
import { validationError } from '../domain/errors.js';
import type { EventLog, EventPage, StoredEvent } from '../services/webhook-ports.js';
import { INDEXES, keys } from './table-schema.js';

type Key = Record<string, unknown>;

// A page stops after this many index reads even if the type filter left it short (the cursor goes on).
const MAX_QUERIES_PER_PAGE = 10;

// The events API's reads: an app's published events through gsi2 (EVENTS#<appId>, sort key
// "<createdAt>#<eventId>"), set by the relay's markPublished — no extra write per event.
export class DynamoEventLog implements EventLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(appId: string, options: { type: string | null; since: string | null; limit: number; cursor: string | null }): Promise<EventPage> {
    const partition = `EVENTS#${appId}`;
    let startKey = decodeEventCursor(options.cursor, partition);
    const found: Record<string, unknown>[] = [];
    for (let query = 0; query < MAX_QUERIES_PER_PAGE && found.length < options.limit; query++) {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.byAppReference.name,
          KeyConditionExpression: options.since === null ? 'gsi2pk = :pk' : 'gsi2pk = :pk AND gsi2sk >= :since',
          ...(options.type === null ? {} : { FilterExpression: '#event.#type = :type', ExpressionAttributeNames: { '#event': 'event', '#type': 'type' } }),
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(options.since === null ? {} : { ':since': options.since }),
            ...(options.type === null ? {} : { ':type': options.type }),
          },
          ScanIndexForward: false,
          Limit: options.limit - found.length,
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...Items);
      startKey = LastEvaluatedKey;
      if (!startKey) break;
    }
    return { items: found.map(fromItem), nextCursor: startKey ? Buffer.from(JSON.stringify(startKey), 'utf8').toString('base64url') : null };
  }

  async get(eventId: string): Promise<StoredEvent | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.outboxEvent(eventId), ConsistentRead: true }));
    return Item ? fromItem(Item) : null;
  }
}

function fromItem(item: Record<string, unknown>): StoredEvent {
  return { event: item.event as PaymentEvent, createdAt: String(item.createdAt), published: item.published === true };
}

// A cursor is only accepted for the app it was issued to: another app's position is refused.
function decodeEventCursor(cursor: string | null, partition: string): Key | undefined {
  if (cursor === null) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw validationError('cursor is not valid: pass nextCursor from the previous page');
  }
  const valid =
    typeof key === 'object' && key !== null && !Array.isArray(key) && (key as Key).gsi2pk === partition &&
    Object.values(key).every((value) => typeof value === 'string');
  if (!valid) throw validationError('cursor is not valid: pass nextCursor from the previous page');
  return key as Key;
}
