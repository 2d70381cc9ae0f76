import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentIntent } from '../domain/intent.js';
import type { Refund } from '../domain/refund.js';
import type { IdempotencyCompletion, OutboxRecord, PaymentRecord, RefundStore } from '../services/ports.js';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { completionUpdate } from './idempotency.repository.js';
import { outboxPut } from './outbox.repository.js';
import { keys } from './table-schema.js';

const REFUND_FIELDS = [
  'id', 'paymentId', 'intentId', 'amount', 'currency', 'status', 'gateway', 'gatewayRefundId', 'reason', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof Refund>;
const PAYMENT_FIELDS = ['id', 'intentId', 'amount', 'currency', 'gateway', 'gatewayTransactionId', 'createdAt'] as const;

const pick = <T>(item: Record<string, unknown>, fields: readonly string[]): T =>
  Object.fromEntries(fields.map((field) => [field, item[field] ?? null])) as T;

export class DynamoRefundStore implements RefundStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(intent: PaymentIntent, refund: Refund): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.intent(intent.id),
                // No arithmetic in conditions: "refundedAmount + amount <= amount" becomes
                // "refundedAmount <= amount - refund".
                UpdateExpression: 'SET refundedAmount = refundedAmount + :refund, updatedAt = :now',
                ConditionExpression: '#status = :succeeded AND refundedAmount <= :limit',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':refund': refund.amount,
                  ':limit': intent.amount - refund.amount,
                  ':succeeded': 'succeeded',
                  ':now': refund.createdAt,
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.refund(intent.id, refund.id), entity: 'refund', ...refund },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async finalize(refund: Refund, outbox: OutboxRecord, completion: IdempotencyCompletion | null): Promise<void> {
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.refund(refund.intentId, refund.id),
          UpdateExpression: 'SET #status = :status, gatewayRefundId = :gatewayRefundId, updatedAt = :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': refund.status, ':gatewayRefundId': refund.gatewayRefundId, ':now': refund.updatedAt },
        },
      },
      outboxPut(this.tableName, outbox),
    ];
    if (refund.status === 'failed') {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.intent(refund.intentId),
          UpdateExpression: 'SET refundedAmount = refundedAmount - :refund, updatedAt = :now',
          ExpressionAttributeValues: { ':refund': refund.amount, ':now': refund.updatedAt },
        },
      });
    }
    if (completion) items.push(completionUpdate(this.tableName, completion));
    await this.db.send(new TransactWriteCommand({ TransactItems: items }));
  }

  async listLedgerItems(intentId: string): Promise<{ payments: PaymentRecord[]; refunds: Refund[] }> {
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
      refunds: Items.filter((item) => item.entity === 'refund').map((item) => pick<Refund>(item, REFUND_FIELDS)),
    };
  }
}
