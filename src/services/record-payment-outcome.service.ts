import type { Clock, IdGenerator } from '../domain/clock.js';
import type { IntentStatus, PaymentIntent } from '../domain/intent.js';
import { decideTransition, isTerminal } from '../domain/intent-state-machine.js';
import { paymentEventFor } from '../domain/payment-event.js';
import { logger } from '../logging/logger.js';
import type { IntentRepository, OutboxDispatcher, PaymentLifecycleStore, TransitionCommit, WebhookReceipt } from './ports.js';

export interface PaymentOutcome {
  status: IntentStatus;
  // What the gateway says was paid; when given it must match the intent.
  amount?: number;
  currency?: string;
}

export type OutcomeResult = 'applied' | 'duplicate' | 'ignored' | 'mismatch' | 'unknown_intent' | 'transaction_taken';

export interface OutcomeOptions {
  // Bind this gateway transaction to the intent in the same transaction (KkiaPay widget).
  bindTransaction?: { gateway: string; transactionId: string };
}

// Losing a race re-reads the intent; a handful of rounds is plenty, as the winner's state is terminal.
const MAX_ATTEMPTS = 8;

// Applies a gateway's verdict to an intent: one transaction for the intent, the payment, the
// outbox event and the webhook receipt; duplicates and late or conflicting verdicts change nothing.
export class RecordPaymentOutcomeService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly store: PaymentLifecycleStore,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async apply(
    intentId: string,
    outcome: PaymentOutcome,
    receipt: WebhookReceipt | null,
    options: OutcomeOptions = {},
  ): Promise<OutcomeResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const intent = await this.intents.get(intentId);
      if (!intent) return 'unknown_intent';
      if (decideTransition(intent.status, outcome.status) === 'ignore') return this.ignore(intent, outcome, receipt);
      if (outcome.status === 'succeeded' && mismatches(intent, outcome)) return this.holdForReview(intent, outcome, receipt);

      const commit = this.buildCommit(intent, outcome, receipt, options);
      const result = await this.store.commitTransition(commit);
      if (result === 'committed') {
        logger.info('intent transition', { intentId, from: intent.status, to: outcome.status, gateway: intent.gateway });
        if (commit.outbox) this.dispatcher.dispatch([commit.outbox]);
        return 'applied';
      }
      if (result === 'duplicate' || result === 'transaction_taken') return result;
    }
    throw new Error(`Intent ${intentId} kept changing while applying ${outcome.status}`);
  }

  private buildCommit(
    intent: PaymentIntent,
    outcome: PaymentOutcome,
    receipt: WebhookReceipt | null,
    options: OutcomeOptions,
  ): TransitionCommit {
    const now = this.clock.now().toISOString();
    const bindTransaction = options.bindTransaction ?? null;
    const succeeded = outcome.status === 'succeeded';
    const payment = succeeded
      ? {
          id: this.ids.newId(),
          intentId: intent.id,
          amount: intent.amount,
          currency: intent.currency,
          gateway: intent.gateway,
          gatewayTransactionId: bindTransaction?.transactionId ?? intent.gatewayTransactionId,
          createdAt: now,
        }
      : null;
    const type = succeeded ? 'payment.completed' : isTerminal(outcome.status) ? 'payment.failed' : null;
    const outbox = type
      ? {
          event: paymentEventFor(intent, { eventId: this.ids.newId(), type, paymentId: payment?.id ?? null, timestamp: now }),
          createdAt: now,
        }
      : null;
    return { intent, to: outcome.status, now, receipt, payment, outbox, bindTransaction };
  }

  private async ignore(intent: PaymentIntent, outcome: PaymentOutcome, receipt: WebhookReceipt | null): Promise<OutcomeResult> {
    const fresh = receipt ? await this.store.recordReceipt(receipt, this.clock.now()) : true;
    if (!fresh) return 'duplicate';
    // A late "failed" after "succeeded" is worth an operator's eye; a repeat of the same state is not.
    const log = isTerminal(intent.status) && intent.status !== outcome.status ? logger.warn : logger.info;
    log.call(logger, 'transition ignored', { intentId: intent.id, status: intent.status, reported: outcome.status });
    return 'ignored';
  }

  private async holdForReview(intent: PaymentIntent, outcome: PaymentOutcome, receipt: WebhookReceipt | null): Promise<OutcomeResult> {
    const now = this.clock.now();
    const fresh = receipt ? await this.store.recordReceipt(receipt, now) : true;
    if (!fresh) return 'duplicate';
    const detail = { intentId: intent.id, expected: { amount: intent.amount, currency: intent.currency }, reported: outcome };
    await this.store.storeForReview(
      { gateway: intent.gateway, eventId: receipt?.eventId ?? `${intent.id}:mismatch`, reason: 'amount_mismatch', detail },
      now,
    );
    logger.warn('payment amount mismatch: intent left for review', detail);
    return 'mismatch';
  }
}

function mismatches(intent: PaymentIntent, outcome: PaymentOutcome): boolean {
  return (
    (outcome.amount !== undefined && outcome.amount !== intent.amount) ||
    (outcome.currency !== undefined && outcome.currency.toUpperCase() !== intent.currency)
  );
}
