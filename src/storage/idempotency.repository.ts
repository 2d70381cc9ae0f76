import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(scope: IdempotencyScope, requestHash: string, now: Date): Promise<Reservation> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.idempotency(scope.appId, scope.key),
            status: 'in_progress',
            requestHash,
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
    return existing ? { reserved: false, existing } : this.reserve(scope, requestHash, now);
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
    return Item.status === 'completed'
      ? { status: 'completed', requestHash, response: String(Item.response) }
      : { status: 'in_progress', requestHash };
  }
}

// The transaction item that marks a claim completed; it only applies to our own live claim.
export function completionUpdate(tableName: string, completion: IdempotencyCompletion) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.idempotency(completion.appId, completion.key),
      UpdateExpression: 'SET #status = :completed, #response = :response',
      ConditionExpression: '#status = :inProgress AND requestHash = :hash',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: {
        ':completed': 'completed',
        ':inProgress': 'in_progress',
        ':response': completion.response,
        ':hash': completion.requestHash,
      },
    },
  };
}
