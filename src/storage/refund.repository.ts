import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentIntent } from '../domain/intent.js';
import { refundOutcomeOpen, type Refund } from '../domain/refund.js';
import type { IdempotencyCompletion, LedgerItems, OutboxRecord, PaymentRecord, RefundStore } from '../services/ports.js';
import { isConditionalCheckFailure, transactWrite, type TransactItems } from './dynamo-client.js';
import { completionUpdate } from './idempotency.repository.js';
import { queryOpenWork } from './open-work.js';
import { outboxPut } from './outbox.repository.js';
import { keys, OPEN_WORK } from './table-schema.js';


const REFUND_FIELDS = [
  'id', 'paymentId', 'intentId', 'amount', 'currency', 'status', 'gateway', 'gatewayRefundId', 'gatewayOutcome', 'reason', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof Refund>;
const PAYMENT_FIELDS = ['id', 'intentId', 'amount', 'currency', 'gateway', 'gatewayTransactionId', 'createdAt'] as const;

const pick = <T>(item: Record<string, unknown>, fields: readonly string[]): T =>
  Object.fromEntries(fields.map((field) => [field, item[field] ?? null])) as T;

// Items written before gatewayOutcome existed carried a known answer.
const fromRefundItem = (item: Record<string, unknown>): Refund => ({ ...pick<Refund>(item, REFUND_FIELDS), gatewayOutcome: (item.gatewayOutcome as Refund['gatewayOutcome']) ?? 'known' });

const toRefundItem = (refund: Refund) => ({
  ...keys.refund(refund.intentId, refund.id),
  entity: 'refund',
  ...refund,
  // Refunds without a known answer sit in the sparse index the reconciler reads.
  gsi3pk: refundOutcomeOpen(refund) ? OPEN_WORK.refund : undefined,
  gsi3sk: refundOutcomeOpen(refund) ? refund.updatedAt : undefined,
});

export class DynamoRefundStore implements RefundStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // The intent's committed amount (refunds + payouts) grows by the refund only while the intent is
  // succeeded and the total stays within what was captured; the refund item is stored with it.
  // Transient failures are retried safely (transactWrite).
  async reserve(intent: PaymentIntent, refund: Refund): Promise<boolean> {
    const items: TransactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.intent(intent.id),
          // No arithmetic in conditions: "committed + refund <= amount" becomes
          // "committed <= amount - refund".
          UpdateExpression: 'SET refundedAmount = refundedAmount + :refund, committedAmount = committedAmount + :refund, updatedAt = :now',
          ConditionExpression: '#status = :succeeded AND committedAmount <= :limit',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':refund': refund.amount,
            ':limit': intent.amount - refund.amount,
            ':succeeded': 'succeeded',
            ':now': refund.createdAt,
          },
        },
      },
      { Put: { TableName: this.tableName, Item: toRefundItem(refund), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    try {
      await transactWrite(this.db, items);
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async get(intentId: string, refundId: string): Promise<Refund | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.refund(intentId, refundId), ConsistentRead: true }));
    return Item ? fromRefundItem(Item) : null;
  }

  // Records what is now known of the refund, once: conditioned on it still being open, so the
  // request and the reconciler can never both settle it. A failed refund gives its amount back in
  // the same transaction. false: someone else settled it first.
  async record(refund: Refund, outbox: OutboxRecord | null, completion: IdempotencyCompletion | null): Promise<boolean> {
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: toRefundItem(refund),
          ConditionExpression: 'attribute_exists(pk) AND gatewayOutcome <> :known',
          ExpressionAttributeValues: { ':known': 'known' },
        },
      },
    ];
    if (outbox) items.push(outboxPut(this.tableName, outbox));
    if (refund.status === 'failed') {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.intent(refund.intentId),
          UpdateExpression: 'SET refundedAmount = refundedAmount - :refund, committedAmount = committedAmount - :refund, updatedAt = :now',
          ExpressionAttributeValues: { ':refund': refund.amount, ':now': refund.updatedAt },
        },
      });
    }
    if (completion) items.push(completionUpdate(this.tableName, completion));
    try {
      await transactWrite(this.db, items);
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async listOpen(updatedBefore: string, limit: number): Promise<Refund[]> {
    return (await queryOpenWork(this.db, this.tableName, 'refund', { before: updatedBefore, limit })).map(fromRefundItem);
  }

  async listLedgerItems(intentId: string): Promise<LedgerItems> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.intent(intentId).pk },
        ConsistentRead: true,
      }),
    );
    return {
      payments: Items.filter((item) => item.entity === 'payment').map((item) => pick<PaymentRecord>(item, PAYMENT_FIELDS)),
      refunds: Items.filter((item) => item.entity === 'refund').map(fromRefundItem),
      payoutIds: Items.filter((item) => item.entity === 'intent-payout').map((item) => String(item.disbursementId)),
    };
  }
}
