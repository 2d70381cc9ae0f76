import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentIntent } from '../domain/intent.js';
import { nextCheckAt } from '../domain/check-schedule.js';
import { refundOutcomeOpen, type Refund } from '../domain/refund.js';
import type { DueWork, IdempotencyCompletion, LedgerItems, OutboxRecord, PaymentRecord, RefundStore } from '../services/ports.js';
import { transactWriteIfUnchanged, type TransactItems } from './dynamo-client.js';
import { completionUpdate } from './idempotency.repository.js';
import { checksOf, queryDue, reschedule } from './open-work.js';
import { outboxPut } from './outbox.repository.js';
import { keys, OPEN_WORK } from './table-schema.js';


const REFUND_FIELDS = [
  'id', 'paymentId', 'intentId', 'amount', 'currency', 'status', 'gateway', 'gatewayRefundId', 'gatewayOutcome', 'reason', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof Refund>;
const PAYMENT_FIELDS = ['id', 'intentId', 'amount', 'currency', 'gateway', 'gatewayTransactionId', 'createdAt'] as const;

// An intent's payment is two attributes of the intent item (ADR 0022); before, an item of its own.
function paymentsOf(item: Record<string, unknown>): PaymentRecord[] {
  if (item.entity === 'payment') return [pick<PaymentRecord>(item, PAYMENT_FIELDS)];
  if (item.entity !== 'intent' || typeof item.paymentId !== 'string') return [];
  return [{ ...pick<PaymentRecord>(item, PAYMENT_FIELDS), id: item.paymentId, intentId: String(item.id), createdAt: String(item.paidAt) }];
}

const pick = <T>(item: Record<string, unknown>, fields: readonly string[]): T =>
  Object.fromEntries(fields.map((field) => [field, item[field] ?? null])) as T;

// Items written before gatewayOutcome existed carried a known answer.
const fromRefundItem = (item: Record<string, unknown>): Refund => ({ ...pick<Refund>(item, REFUND_FIELDS), gatewayOutcome: (item.gatewayOutcome as Refund['gatewayOutcome']) ?? 'known' });

// Open work: an answer still unknown, or a refund the gateway (or an operator) has yet to finish.
const refundOpen = (refund: Refund): boolean => refundOutcomeOpen(refund) || refund.status === 'pending';

const toRefundItem = (refund: Refund) => ({
  ...keys.refund(refund.intentId, refund.id),
  entity: 'refund',
  ...refund,
  // Refunds without a known answer sit in the sparse index the reconciler reads.
  gsi3pk: refundOpen(refund) ? OPEN_WORK.refund : undefined,
  gsi3sk: refundOpen(refund) ? nextCheckAt('refund', 0, refund.updatedAt) : undefined,
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
    return transactWriteIfUnchanged(this.db, items);
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
    if (refund.status === 'failed') items.push(this.giveBack(refund));
    if (refund.gatewayRefundId) items.push(this.gatewayRefundPut(refund, refund.gatewayRefundId));
    if (completion) items.push(completionUpdate(this.tableName, completion));
    return transactWriteIfUnchanged(this.db, items);
  }

  // A known-pending refund reaches its final status, once: conditioned on it still being known
  // and pending, so a webhook, its duplicates, the reconciler and an operator settle it at most
  // once between them. A failed refund gives its amount back in the same transaction, with the
  // payment.refunded event. false: it was no longer pending (someone else settled it).
  async settlePending(refund: Refund, outbox: OutboxRecord): Promise<boolean> {
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: toRefundItem(refund),
          ConditionExpression: 'attribute_exists(pk) AND gatewayOutcome = :known AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':known': 'known', ':pending': 'pending' },
        },
      },
      outboxPut(this.tableName, outbox),
    ];
    if (refund.status === 'failed') items.push(this.giveBack(refund));
    if (refund.gatewayRefundId) items.push(this.gatewayRefundPut(refund, refund.gatewayRefundId));
    return transactWriteIfUnchanged(this.db, items);
  }

  // Which refund a gateway's refund id belongs to (refund webhooks name only theirs).
  async findByGatewayRefundId(gateway: string, gatewayRefundId: string): Promise<{ intentId: string; refundId: string } | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.gatewayRefund(gateway, gatewayRefundId), ConsistentRead: true }));
    return Item ? { intentId: String(Item.intentId), refundId: String(Item.refundId) } : null;
  }

  // The refund's amount leaves the intent's refunded and committed amounts (a failed refund).
  private giveBack(refund: Refund): TransactItems[number] {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.intent(refund.intentId),
        UpdateExpression: 'SET refundedAmount = refundedAmount - :refund, committedAmount = committedAmount - :refund, updatedAt = :now',
        ExpressionAttributeValues: { ':refund': refund.amount, ':now': refund.updatedAt },
      },
    };
  }

  // Unconditional: the same refund id always names the same refund, so rewriting it is harmless.
  private gatewayRefundPut(refund: Refund, gatewayRefundId: string): TransactItems[number] {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.gatewayRefund(refund.gateway, gatewayRefundId), entity: 'gateway-refund', intentId: refund.intentId, refundId: refund.id },
      },
    };
  }

  async listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<Refund>> {
    const page = await queryDue(this.db, this.tableName, 'refund', { dueBy, limit, cursor });
    return { items: page.items.map((item) => ({ value: fromRefundItem(item), checks: checksOf(item) })), cursor: page.cursor };
  }

  async reschedule(refund: Refund, checks: number, at: string): Promise<boolean> {
    return reschedule(this.db, this.tableName, keys.refund(refund.intentId, refund.id), { attribute: 'updatedAt', value: refund.updatedAt }, checks, at);
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
      payments: Items.flatMap(paymentsOf),
      refunds: Items.filter((item) => item.entity === 'refund').map(fromRefundItem),
      payoutIds: Items.filter((item) => item.entity === 'intent-payout').map((item) => String(item.disbursementId)),
    };
  }
}
