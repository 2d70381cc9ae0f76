import { PAYMENT_EVENT_TYPES, type PaymentEvent, type PaymentEventOf, type PaymentEventType, type RefundStatus } from './types.js';

// Where handled eventIds are remembered. `claim` is atomic: true for the first caller only.
// `release` forgets a claim whose handler failed, so the redelivery runs it again; `complete`
// (optional) marks it done, for stores whose claims expire (a handler that died mid-way).
export interface ProcessedEventStore {
  claim(eventId: string): Promise<boolean>;
  release?(eventId: string): Promise<void>;
  complete?(eventId: string): Promise<void>;
}

export type EventHandlers = { [T in PaymentEventType]?: (event: PaymentEventOf<T>) => Promise<void> | void };

export interface EventHandlerOptions {
  store: ProcessedEventStore;
  handlers: EventHandlers;
  // Only events of this app are handled (the SNS filter policy should already say so).
  appId?: string;
}

// The parts of an SNS-triggered Lambda event this needs (aws-lambda's SNSEvent fits).
export interface SnsEventLike {
  Records: ReadonlyArray<{ Sns: { Message: string } }>;
}

export class InvalidPaymentEventError extends Error {
  override readonly name = 'InvalidPaymentEventError';
}

// An SNS Lambda handler: each record is parsed and narrowed, handled once per eventId, and a
// failing handler's error propagates (after its claim is released) so SNS delivers it again.
// Types with no handler, other apps' events and event types newer than this SDK are skipped.
export function createEventHandler(options: EventHandlerOptions): (event: SnsEventLike) => Promise<void> {
  const handle = createPaymentEventHandler(options);
  return async (event) => {
    for (const record of event.Records) await handle(record.Sns.Message);
  };
}

// The same for one message body (a local LOCAL_EVENT_WEBHOOK_URL listener, a queue consumer…).
// Resolves 'handled', 'duplicate' or 'skipped'.
export function createPaymentEventHandler(options: EventHandlerOptions) {
  return async (message: string | PaymentEvent): Promise<'handled' | 'duplicate' | 'skipped'> => {
    const event = typeof message === 'string' ? parsePaymentEvent(message) : message;
    if (event === null) return 'skipped';
    if (options.appId !== undefined && event.appId !== options.appId) return 'skipped';
    const handler = options.handlers[event.type] as ((event: PaymentEvent) => Promise<void> | void) | undefined;
    if (!handler) return 'skipped';
    if (!(await options.store.claim(event.eventId))) return 'duplicate';
    try {
      await handler(event);
    } catch (error) {
      await options.store.release?.(event.eventId);
      throw error;
    }
    await options.store.complete?.(event.eventId);
    return 'handled';
  };
}

const REFUND_STATUSES = new Set<string>(['succeeded', 'pending', 'failed']);

// Null for an event type this SDK does not know (the contract may grow); throws for a body that
// is not a payment event at all (a retry cannot fix it: let it reach the DLQ).
export function parsePaymentEvent(message: string): PaymentEvent | null {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    throw new InvalidPaymentEventError('SNS message is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidPaymentEventError('SNS message is not an object');
  const e = body as Record<string, unknown>;
  if (typeof e.type !== 'string') throw new InvalidPaymentEventError('event has no type');
  if (!(PAYMENT_EVENT_TYPES as readonly string[]).includes(e.type)) return null;
  const type = e.type as PaymentEventType;
  const fail = (field: string, what: string): never => {
    throw new InvalidPaymentEventError(`${type} event: ${field} must be ${what}`);
  };
  const str = (field: string): string => (typeof e[field] === 'string' && e[field] !== '' ? (e[field] as string) : fail(field, 'a string'));
  const nullableStr = (field: string): string | null =>
    e[field] === undefined || e[field] === null ? null : typeof e[field] === 'string' ? (e[field] as string) : fail(field, 'a string or null');
  if (typeof e.amount !== 'number' || !Number.isInteger(e.amount)) fail('amount', 'an integer');
  const refundStatus = e.refundStatus === undefined || e.refundStatus === null ? null : String(e.refundStatus);
  if (refundStatus !== null && !REFUND_STATUSES.has(refundStatus)) fail('refundStatus', 'succeeded, pending, failed or null');
  const base = {
    eventId: str('eventId'),
    intentId: nullableStr('intentId'),
    paymentId: nullableStr('paymentId'),
    refundId: nullableStr('refundId'),
    disbursementId: nullableStr('disbursementId'),
    appId: str('appId'),
    referenceId: str('referenceId'),
    businessId: nullableStr('businessId'),
    amount: e.amount as number,
    currency: str('currency'),
    gateway: str('gateway'),
    timestamp: str('timestamp'),
    refundStatus: refundStatus as RefundStatus | null,
  };
  switch (type) {
    case 'payment.completed':
    case 'payment.failed':
      return { ...base, type, intentId: base.intentId ?? fail('intentId', 'a string'), refundStatus: null };
    case 'payment.refunded':
      return {
        ...base,
        type,
        intentId: base.intentId ?? fail('intentId', 'a string'),
        refundId: base.refundId ?? fail('refundId', 'a string'),
      };
    case 'disbursement.completed':
    case 'disbursement.failed':
      return { ...base, type, disbursementId: base.disbursementId ?? fail('disbursementId', 'a string'), refundStatus: null };
  }
}

// For one process (tests, a single long-lived worker). Not shared between Lambda instances: use
// DynamoEventStore there.
export class InMemoryEventStore implements ProcessedEventStore {
  private readonly claimed = new Set<string>();

  async claim(eventId: string): Promise<boolean> {
    if (this.claimed.has(eventId)) return false;
    this.claimed.add(eventId);
    return true;
  }

  async release(eventId: string): Promise<void> {
    this.claimed.delete(eventId);
  }

  has(eventId: string): boolean {
    return this.claimed.has(eventId);
  }
}
