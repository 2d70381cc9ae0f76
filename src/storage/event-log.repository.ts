import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentEvent } from '../domain/payment-event.js';
import type { EventLog, EventPage, StoredEvent } from '../services/webhook-ports.js';
import { decodeCursor, encodeCursor, queryPage } from './paged-query.js';
import { INDEXES, keys } from './table-schema.js';

// The events API's reads: an app's published events through gsi2 (EVENTS#<appId>, sort key
// "<createdAt>#<eventId>"), set by the relay's markPublished — no extra write per event.
export class DynamoEventLog implements EventLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(appId: string, options: { type: string | null; since: string | null; limit: number; cursor: string | null }): Promise<EventPage> {
    const partition = `EVENTS#${appId}`;
    // A cursor is only accepted for the app it was issued to: another app's position is refused.
    const startKey = decodeCursor(options.cursor, { attribute: INDEXES.byAppReference.partitionKey, value: partition });
    const { items, lastKey } = await queryPage(
      this.db,
      {
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
      },
      options.limit,
      startKey,
    );
    return { items: items.map(fromItem), nextCursor: encodeCursor(lastKey) };
  }

  async get(eventId: string): Promise<StoredEvent | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.outboxEvent(eventId), ConsistentRead: true }));
    return Item ? fromItem(Item) : null;
  }
}

function fromItem(item: Record<string, unknown>): StoredEvent {
  return { event: item.event as PaymentEvent, createdAt: String(item.createdAt), published: item.published === true };
}

