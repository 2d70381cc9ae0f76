import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboundEvent } from '../domain/payment-event.js';
import type { OutboxRecord, OutboxStore } from '../services/ports.js';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { heldEventRecords } from './held-events.js';
import { queryHolders, releaseHeldEvent } from './held-events.repository.js';
import { queryOpenWork } from './open-work.js';
import { epochSeconds, eventLogKeys, HELD_EVENTS, keys, OPEN_WORK, RETENTION_SECONDS, TTL_ATTRIBUTE } from './table-schema.js';

export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // Oldest first: events with their own item (refunds, payouts), then events still held by their
  // intent (ADR 0022) — intents in the work queue flagged holdsEvents, due before `createdBefore`.
  async listUnpublished(createdBefore: string, limit: number): Promise<OutboxRecord[]> {
    const own = await queryOpenWork(this.db, this.tableName, 'unpublishedEvent', { before: createdBefore, limit });
    const holders = await queryHolders(this.db, this.tableName, createdBefore, limit);
    return [...own.map(outboxRecordFromItem), ...holders.flatMap(heldEventRecords)];
  }

  // An event with its own item is the sweep's from its commit on; an intent holding one is due at
  // its next check, moved to now (a key change, paid only when a publish failed).
  async dueForSweep(record: OutboxRecord, now: Date): Promise<void> {
    if (!record.heldByIntent) return;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.intent(record.heldByIntent),
          UpdateExpression: 'SET gsi3sk = :now',
          ConditionExpression: 'attribute_exists(#holds) AND attribute_exists(gsi3pk) AND gsi3sk > :now',
          ExpressionAttributeNames: { '#holds': HELD_EVENTS.flag },
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  // Idempotent: marking an already published event again changes nothing.
  async markPublished(record: OutboxRecord, now: Date): Promise<void> {
    if (record.heldByIntent) {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: eventLogItem(record, now) }));
      await releaseHeldEvent(this.db, this.tableName, record.heldByIntent, record.event.event.eventId);
      return;
    }
    // An event with its own item joins its app's event log (gsi2) in this same update (ADR 0019).
    const { appId, eventId } = record.event.event;
    const log = eventLogKeys(appId, record.createdAt, eventId);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outboxEvent(eventId),
          UpdateExpression: 'SET published = :true, publishedAt = :now, #ttl = :expires, gsi2pk = :logPk, gsi2sk = :logSk REMOVE gsi3pk, gsi3sk',
          ConditionExpression: 'attribute_exists(pk) AND published = :false',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':now': now.toISOString(),
            ':expires': epochSeconds(now) + RETENTION_SECONDS.publishedEvent,
            ':logPk': log.gsi2pk,
            ':logSk': log.gsi2sk,
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
}

// A published event's entry in the event log (the events API and outbound deliveries read it).
function eventLogItem(record: OutboxRecord, now: Date): Record<string, unknown> {
  const { event, attributes } = record.event;
  return {
    ...keys.outboxEvent(event.eventId),
    ...eventLogKeys(event.appId, record.createdAt, event.eventId),
    entity: 'event',
    event,
    attributes,
    published: true,
    createdAt: record.createdAt,
    publishedAt: now.toISOString(),
    [TTL_ATTRIBUTE]: epochSeconds(now) + RETENTION_SECONDS.publishedEvent,
  };
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
