import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isFinalDisbursement, type Disbursement } from '../domain/disbursement.js';
import type { DisbursementStore, IdempotencyCompletion, OutboxRecord } from '../services/ports.js';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { queryOpenWork } from './open-work.js';
import { completionUpdate } from './idempotency.repository.js';
import { outboxPut } from './outbox.repository.js';
import { keys, OPEN_WORK } from './table-schema.js';

const FIELDS = [
  'id', 'appId', 'referenceId', 'businessId', 'intentId', 'amount', 'currency', 'country', 'phoneNumber', 'status',
  'provider', 'providerReference', 'failureReason', 'attempts', 'version', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof Disbursement>;

const toItem = (d: Disbursement) => ({
  ...keys.disbursement(d.id),
  entity: 'disbursement',
  ...d,
  // Pending payouts sit in the sparse index the reconciler polls.
  gsi3pk: isFinalDisbursement(d.status) ? undefined : OPEN_WORK.disbursement,
  gsi3sk: isFinalDisbursement(d.status) ? undefined : d.updatedAt,
});
const fromItem = (item: Record<string, unknown>): Disbursement =>
  Object.fromEntries(FIELDS.map((field) => [field, item[field] ?? null])) as unknown as Disbursement;

export class DynamoDisbursementStore implements DisbursementStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(disbursement: Disbursement, completion: IdempotencyCompletion | null) {
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      { Put: { TableName: this.tableName, Item: toItem(disbursement), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    if (disbursement.intentId) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.disbursementSource(disbursement.intentId), disbursementId: disbursement.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (completion) items.push(completionUpdate(this.tableName, completion));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { created: true as const };
    } catch (error) {
      if (!isConditionalCheckFailure(error) || !disbursement.intentId) throw error;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.disbursementSource(disbursement.intentId), ConsistentRead: true }),
      );
      if (typeof Item?.disbursementId !== 'string') throw error;
      return { created: false as const, existingId: Item.disbursementId };
    }
  }

  async get(id: string): Promise<Disbursement | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.disbursement(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : null;
  }

  async update(disbursement: Disbursement, expectedVersion: number, outbox: OutboxRecord | null): Promise<boolean> {
    const put = {
      TableName: this.tableName,
      Item: toItem(disbursement),
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    };
    try {
      if (outbox) {
        await this.db.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, outboxPut(this.tableName, outbox)] }));
      } else {
        await this.db.send(new PutCommand(put));
      }
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async listPending(limit: number): Promise<Disbursement[]> {
    return (await queryOpenWork(this.db, this.tableName, 'disbursement', { limit })).map(fromItem);
  }
}
