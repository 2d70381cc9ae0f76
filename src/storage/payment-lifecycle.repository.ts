import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  CommitResult,
  PaymentLifecycleStore,
  PaymentRecord,
  TransitionCommit,
  WebhookReceipt,
} from '../services/ports.js';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { outboxPut } from './outbox.repository.js';
import { epochSeconds, keys, RETENTION_SECONDS, TTL_ATTRIBUTE } from './table-schema.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export class DynamoPaymentLifecycleStore implements PaymentLifecycleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findIntentIdByTransaction(gateway: string, gatewayTransactionId: string): Promise<string | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.gatewayTransaction(gateway, gatewayTransactionId),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.intentId === 'string' ? Item.intentId : null;
  }

  // One TransactWriteItems: intent update (conditioned on status + version), payment, outbox
  // event and webhook receipt. Either all of it happened or none of it did.
  async commitTransition(commit: TransitionCommit): Promise<CommitResult> {
    const items: TransactItem[] = [this.intentUpdate(commit)];
    const receiptIndex = commit.receipt ? items.push(this.receiptPut(commit.receipt, new Date(commit.now))) - 1 : -1;
    const bindIndex = commit.bindTransaction ? items.push(this.bindingPut(commit)) - 1 : -1;
    if (commit.payment) items.push(this.paymentPut(commit.payment));
    if (commit.outbox) items.push(outboxPut(this.tableName, commit.outbox));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'committed';
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
      const failed = (index: number) => index >= 0 && reasons[index]?.Code === 'ConditionalCheckFailed';
      // The receipt's condition failing means we saw this event before.
      if (failed(receiptIndex)) return 'duplicate';
      if (failed(bindIndex)) return 'transaction_taken';
      return 'stale';
    }
  }

  async recordReceipt(receipt: WebhookReceipt, now: Date): Promise<boolean> {
    try {
      await this.db.send(new PutCommand(this.receiptPut(receipt, now).Put));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async storeForReview(item: { gateway: string; eventId: string; reason: string; detail: unknown }, now: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.review(item.gateway, item.eventId),
          entity: 'review',
          gateway: item.gateway,
          eventId: item.eventId,
          reason: item.reason,
          detail: JSON.stringify(item.detail),
          createdAt: now.toISOString(),
          [TTL_ATTRIBUTE]: epochSeconds(now) + RETENTION_SECONDS.review,
        },
      }),
    );
  }

  private intentUpdate({ intent, to, now, bindTransaction }: TransitionCommit): TransactItem {
    const open = to === 'pending' || to === 'processing';
    const sets = ['#status = :to', '#version = :next', 'updatedAt = :now', ...(open ? ['gsi3sk = :now'] : [])];
    const values: Record<string, unknown> = {
      ':to': to,
      ':from': intent.status,
      ':version': intent.version,
      ':next': intent.version + 1,
      ':now': now,
    };
    if (bindTransaction) {
      sets.push('gatewayTransactionId = :tx', 'gsi1pk = :gsi1pk');
      values[':tx'] = bindTransaction.transactionId;
      values[':gsi1pk'] = `${bindTransaction.gateway}#${bindTransaction.transactionId}`;
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.intent(intent.id),
        UpdateExpression: `SET ${sets.join(', ')}${open ? '' : ' REMOVE gsi3pk, gsi3sk'}`,
        ConditionExpression: '#status = :from AND #version = :version',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: values,
      },
    };
  }

  // The gateway-transaction lookup, claimed for this intent (or already ours).
  private bindingPut({ intent, bindTransaction }: TransitionCommit): TransactItem {
    const { gateway, transactionId } = bindTransaction as { gateway: string; transactionId: string };
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.gatewayTransaction(gateway, transactionId), intentId: intent.id },
        ConditionExpression: 'attribute_not_exists(pk) OR intentId = :intentId',
        ExpressionAttributeValues: { ':intentId': intent.id },
      },
    };
  }

  private receiptPut(receipt: WebhookReceipt, now: Date) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.webhookReceipt(receipt.gateway, receipt.eventId),
          entity: 'webhook-receipt',
          receivedAt: now.toISOString(),
          [TTL_ATTRIBUTE]: epochSeconds(now) + RETENTION_SECONDS.webhookReceipt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private paymentPut(payment: PaymentRecord): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.payment(payment.intentId, payment.id), entity: 'payment', ...payment },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
