import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  CommitResult,
  PaymentLifecycleStore,
  PaymentRecord,
  TransitionCommit,
  WebhookReceipt,
} from '../services/ports.js';
import { failedConditions, isConditionalCheckFailure, retryTransient, transactWrite, type TransactItems } from './dynamo-client.js';
import { intentSchedule, nextCheckAt } from '../domain/check-schedule.js';
import { inWorkQueue } from './intent.repository.js';
import { outboxPut } from './outbox.repository.js';
import { epochSeconds, keys, OPEN_WORK, RETENTION_SECONDS, TTL_ATTRIBUTE } from './table-schema.js';

type TransactItem = TransactItems[number];

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
      await transactWrite(this.db, items);
      return 'committed';
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.size === 0) throw error;
      // The receipt's condition failing means this event already changed the intent.
      if (failed.has(receiptIndex)) return 'duplicate';
      if (failed.has(bindIndex)) return 'transaction_taken';
      return 'stale';
    }
  }

  async hasReceipt(receipt: WebhookReceipt): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.webhookReceipt(receipt.gateway, receipt.eventId), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  // Conditional: a repeated webhook or verification keeps the first item (and its createdAt), and
  // never reopens one an operator resolved. Open items sit in the sparse index (the operations
  // view lists them oldest first) and carry no TTL: they expire only once resolved (ADR 0015).
  async storeForReview(item: Parameters<PaymentLifecycleStore['storeForReview']>[0], now: Date): Promise<void> {
    const createdAt = now.toISOString();
    const Item = {
      ...keys.review(item.gateway, item.eventId),
      entity: 'review',
      gateway: item.gateway,
      eventId: item.eventId,
      reason: item.reason,
      detail: JSON.stringify(item.detail),
      createdAt,
      gsi3pk: OPEN_WORK.review,
      gsi3sk: createdAt,
    };
    const put = { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      await retryTransient(() => this.db.send(new PutCommand(put)));
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  private intentUpdate({ intent, to, now, bindTransaction }: TransitionCommit): TransactItem {
    const open = inWorkQueue({ status: to, gatewayTransactionId: bindTransaction?.transactionId ?? intent.gatewayTransactionId });
    // A change is news: the next check starts the schedule again.
    const sets = ['#status = :to', '#version = :next', 'updatedAt = :now', ...(open ? ['gsi3sk = :nextCheck'] : [])];
    const values: Record<string, unknown> = {
      ':to': to,
      ':from': intent.status,
      ':version': intent.version,
      ':next': intent.version + 1,
      ':now': now,
      ...(open ? { ':nextCheck': nextCheckAt(intentSchedule(intent.paymentMode), 0, now) } : {}),
    };
    if (bindTransaction) {
      sets.push('gatewayTransactionId = :tx');
      values[':tx'] = bindTransaction.transactionId;
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
