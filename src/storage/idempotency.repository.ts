import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  IdempotencyCompletion,
  IdempotencyRecord,
  IdempotencyScope,
  IdempotencyStore,
  Reservation,
} from '../services/ports.js';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { epochSeconds, keys, TTL_ATTRIBUTE } from './table-schema.js';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
// How long a request may hold a key before a retry may take it over (it must have died: every
// request ends well inside API Gateway's 29 s).
export const IDEMPOTENCY_LEASE_MS = 60_000;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(scope: IdempotencyScope, requestHash: string, resourceId: string, now: Date): Promise<Reservation> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.idempotency(scope.appId, scope.key),
            status: 'in_progress',
            requestHash,
            resourceId,
            leaseUntil: now.getTime() + IDEMPOTENCY_LEASE_MS,
            createdAt: now.toISOString(),
            [TTL_ATTRIBUTE]: epochSeconds(now) + IDEMPOTENCY_TTL_SECONDS,
          },
          // TTL deletion is lazy, so an expired record counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return { reserved: true };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    const existing = await this.find(scope);
    // Vanishing between the put and the read means it expired or was released: claim again.
    return existing ? { reserved: false, existing } : this.reserve(scope, requestHash, resourceId, now);
  }

  async renewLease(scope: IdempotencyScope, record: IdempotencyRecord & { status: 'in_progress' }, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.idempotency(scope.appId, scope.key),
          UpdateExpression: 'SET leaseUntil = :next',
          // Only the lease we saw expire: two retries cannot both take it over.
          ConditionExpression: '#status = :inProgress AND leaseUntil = :seen',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':seen': record.leaseUntil, ':next': now.getTime() + IDEMPOTENCY_LEASE_MS },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async release(scope: IdempotencyScope, requestHash: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.idempotency(scope.appId, scope.key),
          ConditionExpression: '#status = :inProgress AND requestHash = :hash',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':hash': requestHash },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  private async find(scope: IdempotencyScope): Promise<IdempotencyRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(scope.appId, scope.key), ConsistentRead: true }),
    );
    if (!Item) return null;
    const requestHash = String(Item.requestHash);
    const resourceId = String(Item.resourceId);
    return Item.status === 'completed'
      ? { status: 'completed', requestHash, resourceId }
      : { status: 'in_progress', requestHash, resourceId, leaseUntil: Number(Item.leaseUntil) };
  }
}

// The transaction item that binds a claim to its resource for good; it only applies to our own
// live claim (a claim that expired and was taken by another body fails the whole transaction).
export function completionUpdate(tableName: string, completion: IdempotencyCompletion) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.idempotency(completion.appId, completion.key),
      UpdateExpression: 'SET #status = :completed REMOVE leaseUntil',
      ConditionExpression: '#status IN (:inProgress, :completed) AND requestHash = :hash',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':completed': 'completed', ':inProgress': 'in_progress', ':hash': completion.requestHash },
    },
  };
}
