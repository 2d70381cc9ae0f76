import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboundEvent } from '../domain/payment-event.js';
import type { EventListing, OutboxRecord, OutboxStore } from '../services/ports.js';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { queryOpenWork } from './open-work.js';
import { epochSeconds, eventLogKeys, keys, OPEN_WORK, RETENTION_SECONDS, TTL_ATTRIBUTE } from './table-schema.js';

export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // Oldest first, from the sparse index that holds only unpublished events.
  async listUnpublished(createdBefore: string, limit: number): Promise<OutboxRecord[]> {
    const items = await queryOpenWork(this.db, this.tableName, 'unpublishedEvent', { before: createdBefore, limit });
    return items.map(outboxRecordFromItem);
  }

  // Idempotent: marking an already published event again changes nothing. With `listing` the
  // event joins its app's event log (gsi2) in this same update: no extra write (ADR 0019).
  async markPublished(eventId: string, now: Date, listing?: EventListing): Promise<void> {
    const log = listing ? eventLogKeys(listing.appId, listing.createdAt, eventId) : null;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outboxEvent(eventId),
          UpdateExpression: `SET published = :true, publishedAt = :now, #ttl = :expires${log ? ', gsi2pk = :logPk, gsi2sk = :logSk' : ''} REMOVE gsi3pk, gsi3sk`,
          ConditionExpression: 'attribute_exists(pk) AND published = :false',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':now': now.toISOString(),
            ':expires': epochSeconds(now) + RETENTION_SECONDS.publishedEvent,
            ...(log ? { ':logPk': log.gsi2pk, ':logSk': log.gsi2sk } : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
}

// The transaction item that commits an event to the outbox (unpublished, in the sparse index).
export function outboxPut(tableName: string, record: OutboxRecord) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.outboxEvent(record.event.event.eventId),
        entity: 'event',
        event: record.event.event,
        attributes: record.event.attributes,
        published: false,
        createdAt: record.createdAt,
        gsi3pk: OPEN_WORK.unpublishedEvent,
        gsi3sk: record.createdAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function outboxRecordFromItem(item: Record<string, unknown>): OutboxRecord {
  return {
    event: { event: item.event, attributes: item.attributes } as OutboundEvent,
    createdAt: String(item.createdAt),
  };
}
