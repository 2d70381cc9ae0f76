import type { ProcessedEventStore } from './event-handler.js';

// What this needs from @aws-sdk/lib-dynamodb, passed in by the caller so the SDK never imports
// the AWS SDK (the Lambda runtime has it):
//   new DynamoEventStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
//                          commands: { PutCommand, UpdateCommand, DeleteCommand }, tableName })
export interface DocumentClientLike {
  send(command: object): Promise<unknown>;
}

// The inputs this sends, structurally (lib-dynamodb's Put/Update/DeleteCommand accept them).
type Values = Record<string, string | number>;
interface PutInput { TableName: string; Item: Values; ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Values }
interface UpdateInput { TableName: string; Key: Record<string, string>; UpdateExpression: string; ExpressionAttributeValues: Values }
interface DeleteInput { TableName: string; Key: Record<string, string>; ConditionExpression: string; ExpressionAttributeValues: Values }

export interface DynamoEventStoreOptions {
  client: DocumentClientLike;
  commands: {
    PutCommand: new (input: PutInput) => object;
    UpdateCommand: new (input: UpdateInput) => object;
    DeleteCommand: new (input: DeleteInput) => object;
  };
  tableName: string;
  // The item key for an eventId; default { eventId } (a table whose partition key is eventId).
  key?: (eventId: string) => Record<string, string>;
  // A claim whose handler never finished (the Lambda timed out) can be taken again after this.
  leaseSeconds?: number;
  // Handled eventIds are kept this long (DynamoDB TTL on `ttlAttribute`); SNS retries for less.
  retentionDays?: number;
  ttlAttribute?: string;
  now?: () => number;
}

const CONDITIONAL_CHECK_FAILED = 'ConditionalCheckFailedException';

// One conditional put per eventId: the first claim wins, a redelivery finds it and is skipped.
export class DynamoEventStore implements ProcessedEventStore {
  private readonly key: (eventId: string) => Record<string, string>;
  private readonly leaseMs: number;
  private readonly retentionSeconds: number;
  private readonly ttlAttribute: string;
  private readonly now: () => number;

  constructor(private readonly options: DynamoEventStoreOptions) {
    this.key = options.key ?? ((eventId) => ({ eventId }));
    this.leaseMs = (options.leaseSeconds ?? 900) * 1000;
    this.retentionSeconds = (options.retentionDays ?? 30) * 86_400;
    this.ttlAttribute = options.ttlAttribute ?? 'expiresAt';
    this.now = options.now ?? Date.now;
  }

  async claim(eventId: string): Promise<boolean> {
    const key = this.key(eventId);
    const now = this.now();
    const { PutCommand } = this.options.commands;
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...key,
            processedEventStatus: 'claimed',
            leaseUntil: now + this.leaseMs,
            [this.ttlAttribute]: Math.floor(now / 1000) + this.retentionSeconds,
          },
          // New, or claimed by a handler that died (its lease ran out) — never a handled one.
          ConditionExpression: 'attribute_not_exists(#k) OR (processedEventStatus = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#k': firstKeyName(key) },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async complete(eventId: string): Promise<void> {
    const { UpdateCommand } = this.options.commands;
    await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: this.key(eventId),
        UpdateExpression: 'SET processedEventStatus = :done, processedAt = :now REMOVE leaseUntil',
        ExpressionAttributeValues: { ':done': 'done', ':now': new Date(this.now()).toISOString() },
      }),
    );
  }

  async release(eventId: string): Promise<void> {
    const { DeleteCommand } = this.options.commands;
    try {
      await this.options.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: this.key(eventId),
          ConditionExpression: 'processedEventStatus = :claimed',
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
}

function firstKeyName(key: Record<string, string>): string {
  const name = Object.keys(key)[0];
  if (!name) throw new Error('DynamoEventStore: key() must return at least one attribute');
  return name;
}

const isConditionalCheckFailure = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === CONDITIONAL_CHECK_FAILED;
