import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebhookEndpoint } from '../domain/webhook-endpoint.js';
import type { WebhookEndpointStore } from '../services/webhook-ports.js';
import { queryByPrefix } from './paged-query.js';
import { isConditionalCheckFailure, transactWriteIfUnchanged } from './dynamo-client.js';
import { keys } from './table-schema.js';

// An app's webhook endpoints live in its APP#<appId> partition next to their count, so listing
// them for every relayed event is one query (and no write when the app has none). The signing
// secrets are stored in the item because every delivery must sign with them (ADR 0019: KMS
// envelope encryption is the follow-up).
export class DynamoWebhookEndpointStore implements WebhookEndpointStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(endpoint: WebhookEndpoint, max: number): Promise<'created' | 'limit_reached'> {
    const created = await transactWriteIfUnchanged(this.db, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.webhookEndpointCount(endpoint.appId),
          UpdateExpression: 'ADD endpointCount :one',
          ConditionExpression: 'attribute_not_exists(endpointCount) OR endpointCount < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': max },
        },
      },
      { Put: { TableName: this.tableName, Item: this.item(endpoint), ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
    return created ? 'created' : 'limit_reached';
  }

  async get(appId: string, endpointId: string): Promise<WebhookEndpoint | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookEndpoint(appId, endpointId), ConsistentRead: true }));
    return Item ? fromItem(Item) : null;
  }

  async list(appId: string): Promise<WebhookEndpoint[]> {
    // An endpoint created a moment before an event still gets it (ten small items: one read unit).
    const items = await queryByPrefix(this.db, this.tableName, keys.webhookEndpoint(appId, ''));
    return items.map(fromItem);
  }

  async update(endpoint: WebhookEndpoint, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(endpoint),
          ConditionExpression: 'attribute_exists(pk) AND #version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async delete(appId: string, endpointId: string): Promise<boolean> {
    return transactWriteIfUnchanged(this.db, [
      { Delete: { TableName: this.tableName, Key: keys.webhookEndpoint(appId, endpointId), ConditionExpression: 'attribute_exists(pk)' } },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.webhookEndpointCount(appId),
          UpdateExpression: 'ADD endpointCount :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      },
    ]);
  }

  async recordSuccess(appId: string, endpointId: string, at: string, staleBefore: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookEndpoint(appId, endpointId),
          // A version step, so a PATCH that read the endpoint before this re-reads instead of undoing it.
          UpdateExpression: 'SET lastSuccessAt = :at ADD #version :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastSuccessAt) OR attribute_type(lastSuccessAt, :null) OR lastSuccessAt < :stale)',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':at': at, ':stale': staleBefore, ':null': 'NULL', ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  private item(endpoint: WebhookEndpoint): Record<string, unknown> {
    return { ...keys.webhookEndpoint(endpoint.appId, endpoint.id), entity: 'webhook_endpoint', ...endpoint };
  }
}

function fromItem(item: Record<string, unknown>): WebhookEndpoint {
  return {
    id: String(item.id),
    appId: String(item.appId),
    url: String(item.url),
    familyUrls: (item.familyUrls ?? {}) as WebhookEndpoint['familyUrls'],
    description: typeof item.description === 'string' ? item.description : null,
    status: item.status === 'disabled' ? 'disabled' : 'enabled',
    disabledReason: (item.disabledReason ?? null) as WebhookEndpoint['disabledReason'],
    disabledAt: typeof item.disabledAt === 'string' ? item.disabledAt : null,
    lastSuccessAt: typeof item.lastSuccessAt === 'string' ? item.lastSuccessAt : null,
    secrets: (item.secrets ?? []) as WebhookEndpoint['secrets'],
    version: Number(item.version),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}
