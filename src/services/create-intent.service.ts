import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { GatewayId } from '../domain/gateway-id.js';
import { createOutcomeOpen, type PaymentIntent } from '../domain/intent.js';
import { normalizeMetadata } from '../domain/metadata.js';
import type { Currency } from '../domain/money.js';
import { GatewayError, type CreatedPayment, type PaymentGateway } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import { annotateRequest } from '../logging/request-id.js';
import type { IdempotencyService, IdempotentResult } from './idempotency.service.js';
import type { IdempotencyCompletion, IntentRepository } from './ports.js';
import { callCreate, closeLast, paymentInputFor, saveCreateOutcome, type AttemptResolution } from './create-attempt.js';
import { canActFor, type Principal } from './principal.js';

export interface CreateIntentCommand {
  amount: number;
  currency: Currency;
  country: string;
  metadata: Record<string, unknown>;
  returnUrl?: string;
  gatewayOverride?: GatewayId;
  useWidget?: boolean;
}

// Only an error that is retryable AND certainly created nothing moves on to the next gateway:
// after a decline or an ambiguous answer a second gateway could charge the customer twice.
export const canFallBack = (error: GatewayError): boolean => error.retryable && error.createdNothing;

// No further fallback once this much of the create has passed: each gateway call is bounded at
// 10 s, so the whole create stays inside API Gateway's 29 s (issue 14).
export const CREATE_FALLBACK_BUDGET_MS = 15_000;

// POST /intents. Each try on a gateway is recorded BEFORE the call (with the reference we send
// it), then resolved: created → pending with its payment URL; certainly refused → the next gateway
// or a failed intent (502); unknown → the intent stays pending on that gateway (201), no fallback,
// and a webhook or the reconciler settles it.
export class CreateIntentService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly gateways: GatewayRegistry,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  async execute(principal: Principal, command: CreateIntentCommand, idempotencyKey: string | null): Promise<IdempotentResult<PaymentIntent>> {
    const metadata = normalizeMetadata(command.metadata, command.country);
    const appId = metadata.appId as string;
    annotateRequest({ appId, referenceId: metadata.referenceId });
    if (!canActFor(principal, appId)) {
      throw new DomainError('FORBIDDEN', `This API key may not create intents for appId "${appId}"`);
    }
    const candidates = await this.gateways.candidates(command);
    const scope = idempotencyKey === null ? null : { appId, key: idempotencyKey };
    return this.idempotency.run<PaymentIntent>(scope, command, {
      create: (id, completion) => this.create(id, candidates, command, metadata, completion),
      load: (id) => this.resume(id),
    });
  }

  // A retry finds its intent as recorded. If the create's answer was lost on a gateway that
  // replays a re-sent create (Stripe's Idempotency-Key), the retry resumes it right away, so the
  // client gets its client secret without waiting for the reconciler.
  private async resume(id: string): Promise<PaymentIntent | null> {
    const intent = await this.intents.get(id);
    const gateway = intent ? await this.gateways.get(intent.gateway) : undefined;
    if (!intent || !gateway?.capabilities.createIdempotent || !createOutcomeOpen(intent) || intent.status !== 'pending') return intent;
    const result = await callCreate(gateway, paymentInputFor(intent, intent.paymentMode === 'widget'));
    if (result.outcome !== 'created') return intent;
    return saveCreateOutcome(this.intents, this.clock, intent, { outcome: 'created', errorKind: null }, result.created, null);
  }

  private async create(
    id: string,
    candidates: PaymentGateway[],
    command: CreateIntentCommand,
    metadata: Record<string, string>,
    completion: IdempotencyCompletion | null,
  ): Promise<PaymentIntent> {
    const first = candidates[0] as PaymentGateway;
    let intent = this.newIntent(id, first, command, metadata);
    const input = (gateway: PaymentGateway) => paymentInputFor({ ...intent, gateway: gateway.id }, command.useWidget === true);
    first.validatePayment?.(input(first));
    let refusedBy: string | null = null;
    const startedAt = this.clock.now().getTime();
    for (const gateway of candidates) {
      intent = await this.recordStart(intent, gateway, refusedBy);
      const result = await callCreate(gateway, input(gateway));
      if (result.outcome === 'created') return this.saveOutcome(intent, { outcome: 'created', errorKind: null }, result.created, completion);
      if (result.outcome === 'unknown') {
        logger.warn('gateway create outcome unknown: left open for the reconciler', { intentId: id, gateway: gateway.id, reason: result.reason });
        return this.saveOutcome(intent, { outcome: 'unknown', errorKind: result.kind }, null, completion);
      }
      const kind = errorKind(result.error);
      logger.warn('gateway create refused', { intentId: id, gateway: gateway.id, kind });
      const inBudget = this.clock.now().getTime() - startedAt < CREATE_FALLBACK_BUDGET_MS;
      const fallBack = result.error instanceof GatewayError && canFallBack(result.error) && inBudget;
      if (!fallBack || gateway === candidates.at(-1)) {
        // Kept as a failed intent with its attempts (never lost); the 502 frees the key.
        await this.saveOutcome(intent, { outcome: 'failed', errorKind: kind }, null, null, 'failed');
        if (result.error instanceof DomainError) throw result.error;
        if (!fallBack) throw gatewayFailure(result.error);
      }
      refusedBy = kind;
    }
    const tried = intent.attempts.map((attempt) => attempt.gateway).join(', ');
    throw new DomainError('PAYMENT_GATEWAY_ERROR', `Every gateway for this payment failed (${tried})`);
  }

  private newIntent(id: string, gateway: PaymentGateway, command: CreateIntentCommand, metadata: Record<string, string>): PaymentIntent {
    const now = this.clock.now().toISOString();
    return {
      id,
      appId: metadata.appId as string,
      referenceId: metadata.referenceId as string,
      amount: command.amount,
      currency: command.currency,
      country: command.country,
      status: 'pending',
      gateway: gateway.id,
      gatewayTransactionId: null,
      paymentUrl: null,
      clientSecret: null,
      paymentMode: gateway.capabilities.flows[0] ?? 'redirect',
      metadata,
      returnUrl: command.returnUrl ?? null,
      refundedAmount: 0,
      paidOutAmount: 0,
      attempts: [],
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
  }

  // The attempt and the reference we send, stored before the call: whatever happens next, the
  // intent can be found by its reference (a MoMo callback) and followed up by the reconciler.
  // On a fallback the same write closes the refused attempt.
  private async recordStart(intent: PaymentIntent, gateway: PaymentGateway, refusedBy: string | null): Promise<PaymentIntent> {
    const at = this.clock.now().toISOString();
    const closed = refusedBy === null ? intent.attempts : closeLast(intent.attempts, { outcome: 'failed', errorKind: refusedBy });
    const next: PaymentIntent = {
      ...intent,
      gateway: gateway.id,
      gatewayTransactionId: gateway.transactionReference?.(intent.id) ?? null,
      paymentMode: gateway.capabilities.flows[0] ?? 'redirect',
      attempts: [...closed, { gateway: gateway.id, outcome: 'started', errorKind: null, at }],
      version: intent.version + 1,
      // The intent is created by its first attempt's record: one time for both.
      ...(intent.version === 0 ? { createdAt: at } : {}),
      updatedAt: at,
    };
    if (intent.version === 0) await this.intents.create(next);
    else await this.intents.saveAttempt(next, intent, null);
    return next;
  }

  private saveOutcome(intent: PaymentIntent, resolution: AttemptResolution, created: CreatedPayment | null, completion: IdempotencyCompletion | null, status?: 'pending' | 'failed') {
    return saveCreateOutcome(this.intents, this.clock, intent, resolution, created, completion, status);
  }
}

const errorKind = (error: GatewayError | DomainError): string => (error instanceof GatewayError ? error.kind : error.code);

// A gateway's own words never reach the client: only which gateway failed and how.
function gatewayFailure(error: GatewayError | DomainError): DomainError {
  const gateway = error instanceof GatewayError ? error.gateway : 'gateway';
  return new DomainError('PAYMENT_GATEWAY_ERROR', `Gateway ${gateway} could not create the payment (${errorKind(error)})`);
}
