import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { intentSchedule, nextCheckAt } from '../domain/check-schedule.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import type { DueWork, IdempotencyCompletion, IntentRepository } from '../services/ports.js';
import { holdsOurWrite, isConditionalCheckFailure, retryTransient, transactWrite } from './dynamo-client.js';
import { checksOf, queryDue, reschedule } from './open-work.js';
import { completionUpdate } from './idempotency.repository.js';
import { HELD_EVENTS, keys, OPEN_WORK } from './table-schema.js';

const INTENT_FIELDS = [
  'id', 'appId', 'referenceId', 'amount', 'currency', 'country', 'status', 'gateway', 'paymentUrl',
  'clientSecret', 'gatewayTransactionId', 'paymentMode', 'metadata', 'returnUrl', 'refundedAmount',
  'paidOutAmount', 'attempts', 'version', 'createdAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof PaymentIntent>;

const OPEN_STATUSES = new Set(['pending', 'processing']);

// Every intent in the queue but the final ones that only wait for their events to be published.
const CHECKED_BY_RECONCILER = {
  expression: 'attribute_not_exists(#holds) OR #status = :watched',
  names: { '#holds': HELD_EVENTS.flag, '#status': 'status' },
  values: { ':watched': 'cancelled' },
};

// In the reconciler's queue: open intents, and cancelled (or expired) ones the gateway could still
// report paid — MoMo sends its callback once, so a payment approved after the cancel would
// otherwise be lost. They are watched for a day (ReconcileIntentsService), then leave the queue.
export const inWorkQueue = (intent: Pick<PaymentIntent, 'status' | 'gatewayTransactionId'>): boolean =>
  OPEN_STATUSES.has(intent.status) || (intent.status === 'cancelled' && intent.gatewayTransactionId !== null);

export function toIntentItem(intent: PaymentIntent): Record<string, unknown> {
  return {
    ...keys.intent(intent.id),
    entity: 'intent',
    ...intent,
    // What refunds and payouts have taken together: the one number their conditions guard.
    committedAmount: intent.refundedAmount + intent.paidOutAmount,
    gsi2pk: `${intent.appId}#${intent.referenceId}`,
    gsi2sk: intent.createdAt,
    gsi3pk: inWorkQueue(intent) ? OPEN_WORK.intent : undefined,
    // From the intent's first record; a later attempt write keeps the one stored (attemptUpdate).
    gsi3sk: inWorkQueue(intent) ? nextCheckAt(intentSchedule(intent.paymentMode), 0, intent.updatedAt) : undefined,
  };
}

// Stored items never leak out: pick the domain fields explicitly.
export function fromIntentItem(item: Record<string, unknown>): PaymentIntent {
  const intent: Record<string, unknown> = {};
  for (const field of INTENT_FIELDS) intent[field] = item[field] ?? null;
  intent.paidOutAmount ??= 0;
  return intent as unknown as PaymentIntent;
}

export class DynamoIntentRepository implements IntentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // The intent's first record (before any gateway call), with its gateway-transaction lookup when
  // the reference is ours and, with an Idempotency-Key, the binding of the key to it.
  async create(intent: PaymentIntent, completion?: IdempotencyCompletion): Promise<void> {
    await this.write(intent, null, completion ?? null);
  }

  // Records one create attempt's start or outcome on the intent as read (`previous`), with a
  // lookup item for a gateway transaction id it did not have before. Only the create's fields are
  // set: the money fields (refundedAmount, paidOutAmount) belong to refunds and payouts.
  async saveAttempt(intent: PaymentIntent, previous: AttemptBase, completion: IdempotencyCompletion | null): Promise<void> {
    await this.write(intent, previous, completion);
  }

  // Each write is as small as it can be (ADR 0020): the lookup is claimed on its own first — it
  // belongs to this intent for good, so a claim whose intent write then fails only points at an
  // intent that is ours — and the intent is one plain conditional write, a transaction only when
  // the Idempotency-Key's binding must land with it.
  private async write(intent: PaymentIntent, previous: AttemptBase | null, completion: IdempotencyCompletion | null): Promise<void> {
    const conflict = () => {
      const message = `PaymentIntent ${intent.id} could not be stored: it conflicts with an existing record`;
      // Before the first gateway call nothing has moved: a plain 409. After it, not a refusal.
      return previous === null ? new DomainError('CONFLICT', message) : new IntentWriteConflict(message);
    };
    if (needsLookup(intent, previous)) {
      try {
        await retryTransient(() => this.db.send(new PutCommand(this.lookupPut(intent))));
      } catch (error) {
        throw isConditionalCheckFailure(error) ? conflict() : error;
      }
    }
    // The item once, and the update only for an attempt (the first record is the put).
    const item = toIntentItem(intent);
    const put = { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
    const update = previous === null ? null : { TableName: this.tableName, Key: keys.intent(intent.id), ...attemptUpdate(item, previous.version) };
    try {
      if (completion) {
        await transactWrite(this.db, [update === null ? { Put: put } : { Update: update }, completionUpdate(this.tableName, completion)]);
        return;
      }
      const onFailure = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;
      await retryTransient(async () => {
        try {
          await (update === null ? this.db.send(new PutCommand({ ...put, ...onFailure })) : this.db.send(new UpdateCommand({ ...update, ...onFailure })));
        } catch (error) {
          // A retry after our own write landed (its answer lost) finds that write: done.
          if (!isConditionalCheckFailure(error) || !holdsOurWrite(error, update === null ? item : attemptFields(item))) throw error;
        }
      });
    } catch (error) {
      throw isConditionalCheckFailure(error) ? conflict() : error;
    }
  }

  private lookupPut(intent: PaymentIntent) {
    return {
      TableName: this.tableName,
      Item: { ...keys.gatewayTransaction(intent.gateway, intent.gatewayTransactionId as string), intentId: intent.id },
      ConditionExpression: 'attribute_not_exists(pk) OR intentId = :intentId',
      ExpressionAttributeValues: { ':intentId': intent.id },
    };
  }

  // The reconciler's queue: open or watched intents whose next check is due, most overdue first.
  // Final intents there only to hold unpublished events are the relay's sweep's (ADR 0022).
  async listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<PaymentIntent>> {
    const page = await queryDue(this.db, this.tableName, 'intent', { dueBy, limit, cursor, filter: CHECKED_BY_RECONCILER });
    return { items: page.items.map((item) => ({ value: fromIntentItem(item), checks: checksOf(item) })), cursor: page.cursor };
  }

  // Takes a watched (cancelled) intent out of the queue, if it did not change meanwhile and holds
  // no unpublished event (the sweep finds those through the queue).
  async leaveQueue(intent: PaymentIntent): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.intent(intent.id),
          UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
          ConditionExpression: '#version = :version AND attribute_not_exists(#holds)',
          ExpressionAttributeNames: { '#version': 'version', '#holds': HELD_EVENTS.flag },
          ExpressionAttributeValues: { ':version': intent.version },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  async reschedule(intent: PaymentIntent, checks: number, at: string): Promise<boolean> {
    return reschedule(this.db, this.tableName, keys.intent(intent.id), { attribute: 'version', value: intent.version }, checks, at);
  }

  async get(id: string): Promise<PaymentIntent | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.intent(id), ConsistentRead: true }),
    );
    return Item ? fromIntentItem(Item) : null;
  }
}

const ATTEMPT_FIELDS = ['status', 'gateway', 'gatewayTransactionId', 'paymentUrl', 'clientSecret', 'paymentMode', 'attempts', 'version', 'updatedAt'] as const;

// SET the create's fields of the intent's item (toIntentItem) and the derived index keys,
// conditioned on the version read. An intent already in the work queue keeps its next check
// (gsi3sk, from its first record): an outcome that moved it would rewrite its gsi3 entry twice
// (ADR 0023).
function attemptUpdate(item: Record<string, unknown>, expectedVersion: number) {
  const names: Record<string, string> = { '#expected': 'version' };
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const sets: string[] = [];
  const removes: string[] = [];
  for (const field of [...ATTEMPT_FIELDS, 'gsi3pk', 'gsi3sk'] as const) {
    names[`#${field}`] = field;
    const value = item[field];
    if (value === undefined) {
      removes.push(`#${field}`);
    } else {
      values[`:${field}`] = value;
      sets.push(field === 'gsi3sk' ? `#${field} = if_not_exists(#${field}, :${field})` : `#${field} = :${field}`);
    }
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: '#expected = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

// What a create attempt's write is conditioned on: the intent as it was read.
export type AttemptBase = Pick<PaymentIntent, 'version' | 'gateway' | 'gatewayTransactionId'>;

// A new gateway transaction id (or the first) needs its lookup item; an unchanged one has it.
const needsLookup = (intent: PaymentIntent, previous: AttemptBase | null): boolean =>
  intent.gatewayTransactionId !== null &&
  (previous === null || previous.gatewayTransactionId !== intent.gatewayTransactionId || previous.gateway !== intent.gateway);

// What an attempt's update writes (undefined: removed). A gsi3sk it kept is not its to expect.
function attemptFields(item: Record<string, unknown>): Record<string, unknown> {
  const fields = [...ATTEMPT_FIELDS, 'gsi3pk', ...(item.gsi3sk === undefined ? ['gsi3sk'] : [])];
  return Object.fromEntries(fields.map((field) => [field, item[field]]));
}

// Not a DomainError on purpose: a conflict on a money path is not a certain refusal, so the
// Idempotency-Key stays bound (see IdempotencyService).
export class IntentWriteConflict extends Error {
  override readonly name = 'IntentWriteConflict';
}
