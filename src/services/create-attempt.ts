import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { AttemptOutcome, GatewayAttempt, PaymentIntent } from '../domain/intent.js';
import { GatewayError, type CreatedPayment, type CreatePaymentInput, type PaymentGateway } from '../gateways/gateway.js';
import { logger } from '../logging/logger.js';
import type { IdempotencyCompletion, IntentRepository } from './ports.js';

// One create call on one gateway, and the bookkeeping of its attempt record.

// A gateway's answer to one create call, in the three outcomes every money path has.
export type CreateCallResult =
  | { outcome: 'created'; created: CreatedPayment }
  | { outcome: 'failed'; error: GatewayError | DomainError }
  | { outcome: 'unknown'; kind: string; reason: string };


// Resolves the open create attempt. A webhook may have moved the intent meanwhile (a fast MoMo
// callback), so a lost race re-reads it and applies the same answer on top.
export async function saveCreateOutcome(
  intents: IntentRepository,
  clock: Clock,
  intent: PaymentIntent,
  resolution: AttemptResolution,
  created: CreatedPayment | null,
  completion: IdempotencyCompletion | null,
  status?: 'pending' | 'failed',
): Promise<PaymentIntent> {
  let current = intent;
  for (let round = 0; ; round++) {
    const next = resolveAttempt(current, resolution, created, clock.now().toISOString(), status);
    try {
      await intents.saveAttempt(next, current, completion);
      return next;
    } catch (error) {
      const fresh = round < 5 ? await intents.get(intent.id).catch(() => null) : null;
      if (!fresh || fresh.version === current.version) {
        // Our own write failed after the gateway answered: the started attempt stays on record
        // (with its reference), so the reconciler resumes it. Never reported as nothing.
        logger.error('could not record a gateway create outcome; left for the reconciler', { intentId: intent.id, outcome: resolution.outcome, error: String(error) });
        return current;
      }
      current = fresh;
    }
  }
}

// Settles the last attempt; a create answer fills what the gateway returned.
export function resolveAttempt(
  intent: PaymentIntent,
  resolution: AttemptResolution,
  created: CreatedPayment | null,
  now: string,
  status?: 'pending' | 'failed',
): PaymentIntent {
  const attempts = closeLast(intent.attempts, resolution);
  // A webhook that already settled the intent wins over our bookkeeping of the create call.
  const settled = intent.status !== 'pending' && intent.status !== 'processing';
  return {
    ...intent,
    attempts,
    status: settled ? intent.status : (status ?? 'pending'),
    gatewayTransactionId: created?.gatewayTransactionId ?? intent.gatewayTransactionId,
    paymentUrl: created?.paymentUrl ?? intent.paymentUrl,
    clientSecret: created?.clientSecret ?? intent.clientSecret,
    paymentMode: created?.paymentMode ?? intent.paymentMode,
    version: intent.version + 1,
    updatedAt: now,
  };
}

export interface AttemptResolution {
  outcome: Exclude<AttemptOutcome, 'started'>;
  errorKind: string | null;
}

// Only an open last attempt is resolved; an answer for a settled one changes nothing.
export function closeLast(attempts: GatewayAttempt[], resolution: AttemptResolution): GatewayAttempt[] {
  return attempts.map((attempt, index) =>
    index === attempts.length - 1 && (attempt.outcome === 'started' || attempt.outcome === 'unknown') ? { ...attempt, ...resolution } : attempt,
  );
}

// Classifies one create call. Only a GatewayError saying "created nothing" (or a DomainError an
// adapter raises before sending, e.g. a missing phone number) is a refusal.
export async function callCreate(gateway: PaymentGateway, input: CreatePaymentInput): Promise<CreateCallResult> {
  try {
    return { outcome: 'created', created: await gateway.createPayment(input) };
  } catch (error) {
    if (error instanceof DomainError) return { outcome: 'failed', error };
    if (error instanceof GatewayError && error.createdNothing) return { outcome: 'failed', error };
    if (error instanceof GatewayError) return { outcome: 'unknown', kind: error.kind, reason: error.message };
    logger.error('gateway create threw unexpectedly; outcome unknown', { gateway: gateway.id, error: String(error) });
    return { outcome: 'unknown', kind: 'unexpected', reason: 'unexpected error' };
  }
}


// What a create call sends for an intent on record (the reconciler re-sends the same).
export function paymentInputFor(intent: PaymentIntent, useWidget: boolean): CreatePaymentInput {
  return {
    intentId: intent.id,
    amount: intent.amount,
    currency: intent.currency,
    country: intent.country,
    metadata: intent.metadata,
    returnUrl: intent.returnUrl,
    // Routing sends useWidget only to a gateway with the widget flow (KkiaPay, the mock; ADR 0017).
    useWidget,
  };
}
