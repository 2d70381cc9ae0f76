import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  CommitResult,
  PaymentLifecycleStore,
  TransitionCommit,
  WebhookReceipt,
} from '../services/ports.js';
import { conditionFailureItem, failedConditions, isConditionalCheckFailure, retryTransient, transactWrite, type TransactItems } from './dynamo-client.js';
import { intentSchedule, nextCheckAt } from '../domain/check-schedule.js';
import { inWorkQueue } from './intent.repository.js';
import { heldEventsOf, type HeldEvent } from './held-events.js';
import { HELD_EVENTS, keys, OPEN_WORK } from './table-schema.js';

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

  // One conditional write of the intent item (ADR 0022): its status, the payment, the event it
  // raises (held on the item until the relay publishes it) and the receipt of the webhook that
  // changed it. A transaction only when a gateway transaction id must be claimed with it.
  async commitTransition(commit: TransitionCommit): Promise<CommitResult> {
    const update = { TableName: this.tableName, Key: keys.intent(commit.intent.id), ...intentUpdate(commit) };
    if (commit.bindTransaction) return this.commitWithBinding(commit, update);
    try {
      await retryTransient(async () => {
        try {
          await this.db.send(new UpdateCommand({ ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
        } catch (error) {
          // A retry after our own write landed (its answer lost) finds that write: done.
          if (!isConditionalCheckFailure(error) || !holdsOurCommit(conditionFailureItem(error), commit)) throw error;
        }
      });
      return 'committed';
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      return alreadyReceived(conditionFailureItem(error), commit.receipt) ? 'duplicate' : 'stale';
    }
  }

  private async commitWithBinding(commit: TransitionCommit, update: TransactUpdate): Promise<CommitResult> {
    try {
      await transactWrite(this.db, [{ Update: update }, this.bindingPut(commit)]);
      return 'committed';
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.size === 0) throw error;
      // The receipt already on the intent means this event already changed it.
      if (failed.has(0) && commit.receipt && (await this.hasReceipt(commit.intent.id, commit.receipt))) return 'duplicate';
      if (failed.has(1)) return 'transaction_taken';
      return 'stale';
    }
  }

  // Receipts live on the intent they changed; before ADR 0022 they were items of their own
  // (30-day TTL), still read until the last of them has expired.
  async hasReceipt(intentId: string, receipt: WebhookReceipt): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.intent(intentId), ConsistentRead: true, ProjectionExpression: RECEIPTS }),
    );
    if (alreadyReceived(Item, receipt)) return true;
    const legacy = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.webhookReceipt(receipt.gateway, receipt.eventId), ConsistentRead: true }),
    );
    return legacy.Item !== undefined;
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
}

type TransactUpdate = Extract<TransactItem, { Update?: unknown }>['Update'] & object;

const RECEIPTS = 'receipts';

const alreadyReceived = (item: Record<string, unknown> | undefined, receipt: WebhookReceipt | null): boolean =>
  receipt !== null && item?.[RECEIPTS] instanceof Set && item[RECEIPTS].has(receipt.eventId);

// The update of the intent, conditioned on its status and version (and, with a receipt, on that
// event not having changed it yet).
function intentUpdate({ intent, to, now, receipt, payment, outbox, bindTransaction }: TransitionCommit) {
  const open = inWorkQueue({ status: to, gatewayTransactionId: bindTransaction?.transactionId ?? intent.gatewayTransactionId });
  const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
  const values: Record<string, unknown> = { ':to': to, ':from': intent.status, ':version': intent.version, ':next': intent.version + 1, ':now': now };
  const sets = ['#status = :to', '#version = :next', 'updatedAt = :now'];
  const conditions = ['#status = :from', '#version = :version'];
  const adds: string[] = [];
  if (open) {
    // A change is news: the next check starts the schedule again.
    sets.push('gsi3sk = :nextCheck');
    values[':nextCheck'] = nextCheckAt(intentSchedule(intent.paymentMode), 0, now);
  }
  if (bindTransaction) {
    sets.push('gatewayTransactionId = :tx');
    values[':tx'] = bindTransaction.transactionId;
  }
  if (payment) {
    // An intent is paid at most once: the payment is two attributes of it (the rest is the intent's).
    sets.push('paymentId = :paymentId', 'paidAt = :now');
    values[':paymentId'] = payment.id;
  }
  if (outbox) {
    // Held until published; the intent stays in the work queue (key unchanged) meanwhile, so the
    // sweep finds it if the stream relay never does.
    const held: HeldEvent = { id: outbox.event.event.eventId, type: outbox.event.event.type as HeldEvent['type'], at: outbox.createdAt };
    names['#held'] = HELD_EVENTS.list;
    names['#holds'] = HELD_EVENTS.flag;
    sets.push('#held = list_append(if_not_exists(#held, :none), :held)', '#holds = :true', 'gsi3pk = :queue', ...(open ? [] : ['gsi3sk = if_not_exists(gsi3sk, :now)']));
    Object.assign(values, { ':none': [], ':held': [held], ':true': true, ':queue': OPEN_WORK.intent });
  }
  if (receipt) {
    adds.push(`${RECEIPTS} :receipt`);
    conditions.push(`NOT contains(${RECEIPTS}, :eventId)`);
    values[':receipt'] = new Set([receipt.eventId]);
    values[':eventId'] = receipt.eventId;
  }
  const leaves = !open && !outbox;
  return {
    UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}${leaves ? ' REMOVE gsi3pk, gsi3sk' : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

// Whether the item holds our own update (a retry meeting it after its answer was lost): the same
// step to the same status at the same time, with our payment, our event and our receipt — ids
// no concurrent writer shares. (Should the relay release our event first, the retry says 'stale'
// and the caller, re-reading, finds the receipt: 'duplicate', and nothing is lost.)
function holdsOurCommit(item: Record<string, unknown> | undefined, { intent, to, now, payment, outbox, receipt }: TransitionCommit): boolean {
  if (!item || item.status !== to || item.version !== intent.version + 1 || item.updatedAt !== now) return false;
  if (payment && item.paymentId !== payment.id) return false;
  if (outbox && !heldEventsOf(item).some((held) => held.id === outbox.event.event.eventId)) return false;
  return receipt === null || alreadyReceived(item, receipt);
}
