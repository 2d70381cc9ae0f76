import type { Clock, IdGenerator } from '../domain/clock.js';
import type { GatewayId } from '../domain/gateway-id.js';
import type { IntentStatus, PaymentIntent } from '../domain/intent.js';
import { decideTransition, isTerminal } from '../domain/intent-state-machine.js';
import { paymentEventFor } from '../domain/payment-event.js';
import { logger } from '../logging/logger.js';
import type { IntentRepository, OutboxDispatcher, PaymentLifecycleStore, TransitionCommit, WebhookReceipt } from './ports.js';

export interface PaymentOutcome {
  status: IntentStatus;
  // What the gateway says was paid: a success needs both, equal to the intent's (else review).
  amount?: number;
  currency?: string;
}

// duplicate: this event already changed the intent; second_transaction: the intent was already
// paid by another transaction (the customer paid twice; kept for an operator).
export type OutcomeResult =
  | 'applied'
  | 'duplicate'
  | 'ignored'
  | 'mismatch'
  | 'unknown_intent'
  | 'transaction_taken'
  | 'second_transaction';

export interface OutcomeOptions {
  // Bind this gateway transaction to the intent in the same transaction (KkiaPay widget verify,
  // partnerId-linked webhooks). The intent must belong to that gateway.
  bindTransaction?: { gateway: GatewayId; transactionId: string };
}

type ReviewReason = Parameters<PaymentLifecycleStore['storeForReview']>[0]['reason'];

// Losing a race re-reads the intent; a handful of rounds is plenty, as the winner's state is terminal.
const MAX_ATTEMPTS = 8;

// Applies a gateway's verdict to an intent: one write of the intent with its payment, its
// pending event and the webhook receipt (ADR 0022); duplicates and late or conflicting verdicts change nothing
// and write no receipt (ADR 0011), so only a real state change can make a later event a duplicate.
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
    const bound = options.bindTransaction;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const intent = await this.intents.get(intentId);
      if (!intent || (bound && bound.gateway !== intent.gateway)) return 'unknown_intent';
      const decision = decideTransition(intent.status, outcome.status);
      if (decision === 'ignore') return this.ignore(intent, outcome, receipt, bound?.transactionId);
      const problem = outcome.status === 'succeeded' ? amountProblem(intent, outcome) : null;
      if (problem) return this.holdForReview(intent, outcome, receipt, problem, bound?.transactionId);
      // Flagged BEFORE the commit: should the commit never happen, the item still tells an
      // operator that money arrived for a closed intent; a repeat rewrites nothing (same key).
      if (decision === 'late_success') await this.review(intent, outcome, 'late_success', bound?.transactionId ?? intent.gatewayTransactionId ?? 'none');

      const commit = this.buildCommit(intent, outcome, receipt, options);
      const result = await this.store.commitTransition(commit);
      if (result === 'committed') {
        logger.info('intent transition', { intentId, from: intent.status, to: outcome.status, gateway: intent.gateway });
        if (decision === 'late_success') {
          logger.info('late success recorded: the cancelled intent is succeeded; refund or fulfil it', { intentId, gateway: intent.gateway });
        }
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
          heldByIntent: intent.id,
        }
      : null;
    return { intent, to: outcome.status, now, receipt, payment, outbox, bindTransaction };
  }

  // Nothing changes, so nothing is recorded but, when money arrived that this intent cannot take
  // (a second transaction, or a success after 'failed'), a review item keyed by intent and
  // transaction (one per double payment, whichever path saw it). After 'cancelled' a success is
  // taken instead (decideTransition: 'late_success').
  private async ignore(
    intent: PaymentIntent,
    outcome: PaymentOutcome,
    receipt: WebhookReceipt | null,
    transactionId = intent.gatewayTransactionId,
  ): Promise<OutcomeResult> {
    if (outcome.status === 'succeeded' && transactionId !== null) {
      if (intent.status === 'succeeded' && transactionId !== intent.gatewayTransactionId) {
        await this.review(intent, outcome, 'second_transaction', transactionId);
        return 'second_transaction';
      }
      if (isTerminal(intent.status) && intent.status !== 'succeeded') {
        await this.review(intent, outcome, 'success_after_terminal', transactionId);
        return 'ignored';
      }
    }
    if (receipt && (await this.store.hasReceipt(intent.id, receipt))) return 'duplicate';
    // A late "failed" after "succeeded" is worth an operator's eye; a repeat of the same state is not.
    const log = isTerminal(intent.status) && intent.status !== outcome.status ? logger.warn : logger.info;
    log.call(logger, 'transition ignored', { intentId: intent.id, status: intent.status, reported: outcome.status });
    return 'ignored';
  }

  // Keyed by the event, so a repeated delivery rewrites nothing; no receipt, so the matching
  // confirmation still goes through.
  private async holdForReview(
    intent: PaymentIntent,
    outcome: PaymentOutcome,
    receipt: WebhookReceipt | null,
    reason: 'amount_mismatch' | 'amount_missing',
    transactionId = intent.gatewayTransactionId,
  ): Promise<OutcomeResult> {
    const detail = { intentId: intent.id, transactionId, expected: { amount: intent.amount, currency: intent.currency }, reported: outcome };
    const eventId = receipt?.eventId ?? `${intent.id}:mismatch`;
    await this.store.storeForReview({ gateway: intent.gateway, eventId, reason, detail }, this.clock.now());
    logger.warn(`payment ${reason === 'amount_missing' ? 'amount missing' : 'amount mismatch'}: intent left for review`, detail);
    return 'mismatch';
  }

  private async review(intent: PaymentIntent, outcome: PaymentOutcome, reason: ReviewReason, transactionId: string): Promise<void> {
    const detail = { intentId: intent.id, status: intent.status, paidBy: intent.gatewayTransactionId, transactionId, reported: outcome };
    const eventId = `${reason}:${intent.id}:${transactionId}`;
    await this.store.storeForReview({ gateway: intent.gateway, eventId, reason, detail }, this.clock.now());
    logger.warn(`money for a closed intent kept for review (${reason})`, detail);
  }
}

// A success the gateway reports without a readable amount and currency is never taken on trust
// (issue 14: a signed TKH webhook without amount, a Stripe event without amount_received).
function amountProblem(intent: PaymentIntent, outcome: PaymentOutcome): 'amount_missing' | 'amount_mismatch' | null {
  const { amount, currency } = outcome;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || typeof currency !== 'string' || currency === '') return 'amount_missing';
  return amount !== intent.amount || currency.toUpperCase() !== intent.currency ? 'amount_mismatch' : null;
}
