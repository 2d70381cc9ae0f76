import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DueWork } from '../services/ports.js';
import type { WebhookDelivery, WebhookDeliveryStore } from '../services/webhook-ports.js';
import { queryByPrefix } from './paged-query.js';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { queryDue } from './open-work.js';
import { epochSeconds, keys, OPEN_WORK, RETENTION_SECONDS, TTL_ATTRIBUTE } from './table-schema.js';

// One item per event × endpoint, in the event's partition (EVENT#<eventId> / DELIVERY#<endpoint>).
// A pending delivery is in the reconciler's work queue (gsi3 OPEN_DELIVERY, sort key = when to
// attempt next); every change is conditioned on the version read, so two workers never record
// over each other.
export class DynamoWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createClaimed(delivery: WebhookDelivery, leaseUntil: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.item(delivery), gsi3pk: OPEN_WORK.delivery, gsi3sk: leaseUntil },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async get(eventId: string, endpointId: string): Promise<WebhookDelivery | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookDelivery(eventId, endpointId), ConsistentRead: true }));
    return Item ? fromItem(Item) : null;
  }

  async listForEvent(eventId: string): Promise<WebhookDelivery[]> {
    const items = await queryByPrefix(this.db, this.tableName, keys.webhookDelivery(eventId, ''));
    return items.map(fromItem);
  }

  async claim(delivery: WebhookDelivery, leaseUntil: string): Promise<WebhookDelivery | null> {
    const queued = delivery.status === 'pending';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookDelivery(delivery.eventId, delivery.endpointId),
          UpdateExpression: `SET #version = :next${queued ? ', gsi3pk = :queue, gsi3sk = :lease' : ''}`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':version': delivery.version,
            ':next': delivery.version + 1,
            ...(queued ? { ':queue': OPEN_WORK.delivery, ':lease': leaseUntil } : {}),
          },
        }),
      );
      return { ...delivery, version: delivery.version + 1 };
    } catch (error) {
      if (isConditionalCheckFailure(error)) return null;
      throw error;
    }
  }

  async save(delivery: WebhookDelivery, claimedVersion: number): Promise<boolean> {
    const queue = delivery.status === 'pending' && delivery.nextAttemptAt !== null ? { gsi3pk: OPEN_WORK.delivery, gsi3sk: delivery.nextAttemptAt } : {};
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.item(delivery), ...queue },
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': claimedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<WebhookDelivery>> {
    const page = await queryDue(this.db, this.tableName, 'delivery', { dueBy, limit, cursor });
    return { items: page.items.map((item) => ({ value: fromItem(item), checks: Number(item.scheduledAttempts ?? 0) })), cursor: page.cursor };
  }

  private item(delivery: WebhookDelivery): Record<string, unknown> {
    return {
      ...keys.webhookDelivery(delivery.eventId, delivery.endpointId),
      entity: 'webhook_delivery',
      ...delivery,
      [TTL_ATTRIBUTE]: epochSeconds(new Date(delivery.createdAt)) + RETENTION_SECONDS.webhookDelivery,
    };
  }
}

function fromItem(item: Record<string, unknown>): WebhookDelivery {
  return {
    eventId: String(item.eventId),
    endpointId: String(item.endpointId),
    appId: String(item.appId),
    eventType: item.eventType as WebhookDelivery['eventType'],
    status: item.status as WebhookDelivery['status'],
    failedReason: (item.failedReason ?? null) as WebhookDelivery['failedReason'],
    scheduledAttempts: Number(item.scheduledAttempts ?? 0),
    nextAttemptAt: typeof item.nextAttemptAt === 'string' ? item.nextAttemptAt : null,
    attempts: (item.attempts ?? []) as WebhookDelivery['attempts'],
    version: Number(item.version),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}
