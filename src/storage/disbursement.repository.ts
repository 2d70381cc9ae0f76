import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { nextCheckAt } from '../domain/check-schedule.js';
import { isFinalDisbursement, type Disbursement } from '../domain/disbursement.js';
import type { DisbursementCreate, DisbursementCreateResult, DisbursementStore, DueWork, OutboxRecord } from '../services/ports.js';
import { failedConditions, holdsOurWrite, isConditionalCheckFailure, retryTransient, transactWrite, transactWriteIfUnchanged, type TransactItems } from './dynamo-client.js';
import { completionUpdate } from './idempotency.repository.js';
import { checksOf, queryDue, reschedule } from './open-work.js';
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
  gsi3sk: isFinalDisbursement(d.status) ? undefined : nextCheckAt('payout', 0, d.updatedAt),
});
const fromItem = (item: Record<string, unknown>): Disbursement =>
  Object.fromEntries(FIELDS.map((field) => [field, item[field] ?? null])) as unknown as Disbursement;

export class DynamoDisbursementStore implements DisbursementStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // One transaction: the payout record (before any provider call) and, with a source intent, the
  // source's one-live-payout marker, the amount taken from the intent (refunds + payouts <= paid)
  // and the payout's listing under the intent; without one, the app's daily total under its cap.
  async create({ disbursement, completion, sourceAmount, dailyLimit, day }: DisbursementCreate): Promise<DisbursementCreateResult> {
    const items: TransactItems = [{ Put: { TableName: this.tableName, Item: toItem(disbursement), ConditionExpression: 'attribute_not_exists(pk)' } }];
    const intentId = disbursement.intentId;
    if (intentId && sourceAmount !== null) {
      items.push(
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.disbursementSource(intentId), disbursementId: disbursement.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.intent(intentId),
            UpdateExpression: 'SET paidOutAmount = if_not_exists(paidOutAmount, :zero) + :payout, committedAmount = committedAmount + :payout',
            ConditionExpression: '#status = :succeeded AND committedAmount <= :limit',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':zero': 0, ':payout': disbursement.amount, ':limit': sourceAmount - disbursement.amount, ':succeeded': 'succeeded' },
          },
        },
        { Put: { TableName: this.tableName, Item: { ...keys.intentPayout(intentId, disbursement.id), entity: 'intent-payout', disbursementId: disbursement.id } } },
      );
    } else if (dailyLimit !== null) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.unsourcedPayoutDay(disbursement.appId, disbursement.currency, day),
          UpdateExpression: 'ADD #total :amount',
          ConditionExpression: 'attribute_not_exists(#total) OR #total <= :limit',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':amount': disbursement.amount, ':limit': dailyLimit - disbursement.amount },
        },
      });
    }
    if (completion) items.push(completionUpdate(this.tableName, completion));
    try {
      await transactWrite(this.db, items);
      return { created: true };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      const failed = failedConditions(error);
      if (intentId && sourceAmount !== null && failed.has(1)) return { created: false, reason: 'source_has_payout' };
      if (intentId && sourceAmount !== null && failed.has(2)) return { created: false, reason: 'over_captured' };
      if (!intentId && dailyLimit !== null && failed.has(1)) return { created: false, reason: 'over_daily_limit' };
      throw error;
    }
  }

  async get(id: string): Promise<Disbursement | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.disbursement(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : null;
  }

  async liveForSource(intentId: string): Promise<string | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.disbursementSource(intentId), ConsistentRead: true }));
    return typeof Item?.disbursementId === 'string' ? Item.disbursementId : null;
  }

  async getMany(ids: readonly string[]): Promise<Disbursement[]> {
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((d): d is Disbursement => d !== null);
  }

  // Conditional on the version read; a final status commits its event in the same transaction,
  // and a failed payout frees its source intent (amount and marker) for a new payout.
  async update(disbursement: Disbursement, expectedVersion: number, outbox: OutboxRecord | null): Promise<boolean> {
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: toItem(disbursement),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ];
    if (outbox) items.push(outboxPut(this.tableName, outbox));
    if (disbursement.status === 'failed' && disbursement.intentId) {
      items.push(
        {
          Delete: {
            TableName: this.tableName,
            Key: keys.disbursementSource(disbursement.intentId),
            ConditionExpression: 'disbursementId = :id',
            ExpressionAttributeValues: { ':id': disbursement.id },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.intent(disbursement.intentId),
            UpdateExpression: 'SET paidOutAmount = paidOutAmount - :payout, committedAmount = committedAmount - :payout',
            ExpressionAttributeValues: { ':payout': disbursement.amount },
          },
        },
      );
    }
    // Alone, the record is one plain conditional write: a one-item transaction costs twice as much.
    return items.length === 1 ? this.putIfUnchanged(disbursement, expectedVersion) : transactWriteIfUnchanged(this.db, items);
  }

  private async putIfUnchanged(disbursement: Disbursement, expectedVersion: number): Promise<boolean> {
    try {
      await retryTransient(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: toItem(disbursement),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      // A retry after our own write landed (its answer lost) finds that write: it is recorded.
      return holdsOurWrite(error, toItem(disbursement));
    }
  }

  async listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<Disbursement>> {
    const page = await queryDue(this.db, this.tableName, 'disbursement', { dueBy, limit, cursor });
    return { items: page.items.map((item) => ({ value: fromItem(item), checks: checksOf(item) })), cursor: page.cursor };
  }

  async reschedule(disbursement: Disbursement, checks: number, at: string): Promise<boolean> {
    return reschedule(this.db, this.tableName, keys.disbursement(disbursement.id), { attribute: 'version', value: disbursement.version }, checks, at);
  }
}
