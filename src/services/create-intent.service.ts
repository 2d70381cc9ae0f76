import type { Clock, IdGenerator } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { GatewayId } from '../domain/gateway-id.js';
import type { GatewayAttempt, PaymentIntent } from '../domain/intent.js';
import { normalizeMetadata } from '../domain/metadata.js';
import type { Currency } from '../domain/money.js';
import { GatewayError, type CreatedPayment, type PaymentGateway } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { IdempotencyService, IdempotentResult } from './idempotency.service.js';
import type { IntentRepository } from './ports.js';
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
// after a decline or an ambiguous timeout a second gateway could charge the customer twice.
export const canFallBack = (error: GatewayError): boolean => error.retryable && error.createdNothing;

export class CreateIntentService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly gateways: GatewayRegistry,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute(
    principal: Principal,
    command: CreateIntentCommand,
    idempotencyKey: string | null,
  ): Promise<IdempotentResult<PaymentIntent>> {
    const metadata = normalizeMetadata(command.metadata, command.country);
    const appId = metadata.appId as string;
    if (!canActFor(principal, appId)) {
      throw new DomainError('FORBIDDEN', `This API key may not create intents for appId "${appId}"`);
    }
    const candidates = this.gateways.candidates(command);
    const scope = idempotencyKey === null ? null : { appId, key: idempotencyKey };

    return this.idempotency.run<PaymentIntent>(scope, command, async (completion) => {
      const id = this.ids.newId();
      const { created, gateway, attempts, failure } = await this.tryGateways(id, candidates, command, metadata);
      const now = this.clock.now().toISOString();
      const intent: PaymentIntent = {
        id,
        appId,
        referenceId: metadata.referenceId as string,
        amount: command.amount,
        currency: command.currency,
        country: command.country,
        status: created ? 'pending' : 'failed',
        gateway: gateway.id,
        gatewayTransactionId: created?.gatewayTransactionId ?? null,
        paymentUrl: created?.paymentUrl ?? null,
        clientSecret: created?.clientSecret ?? null,
        paymentMode: created?.paymentMode ?? gateway.capabilities.flows[0] ?? 'redirect',
        metadata,
        returnUrl: command.returnUrl ?? null,
        refundedAmount: 0,
        attempts,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      if (failure) {
        // Kept as a failed intent with its attempts (never lost, never half-created); the
        // idempotency claim is released by the 502 so the client may retry.
        await this.intents.create(intent);
        throw failure;
      }
      await this.intents.create(intent, completion?.(intent));
      return intent;
    });
  }

  private async tryGateways(
    intentId: string,
    candidates: PaymentGateway[],
    command: CreateIntentCommand,
    metadata: Record<string, string>,
  ): Promise<{ created: CreatedPayment | null; gateway: PaymentGateway; attempts: GatewayAttempt[]; failure: DomainError | null }> {
    const attempts: GatewayAttempt[] = [];
    let last: PaymentGateway = candidates[0] as PaymentGateway;
    for (const gateway of candidates) {
      last = gateway;
      const at = this.clock.now().toISOString();
      try {
        const created = await gateway.createPayment({
          intentId,
          amount: command.amount,
          currency: command.currency,
          country: command.country,
          metadata,
          returnUrl: command.returnUrl ?? null,
          useWidget: command.useWidget === true && gateway.id === 'kkiapay',
        });
        attempts.push({ gateway: gateway.id, outcome: 'created', errorKind: null, at });
        return { created, gateway, attempts, failure: null };
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error; // validation (400) and bugs: nothing stored
        attempts.push({ gateway: gateway.id, outcome: 'failed', errorKind: error.kind, at });
        logger.warn('gateway create failed', { intentId, gateway: gateway.id, kind: error.kind, retryable: error.retryable });
        if (!canFallBack(error)) return { created: null, gateway, attempts, failure: gatewayFailure(error) };
      }
    }
    const tried = attempts.map((attempt) => attempt.gateway).join(', ');
    return {
      created: null,
      gateway: last,
      attempts,
      failure: new DomainError('PAYMENT_GATEWAY_ERROR', `Every gateway for this payment failed (${tried})`),
    };
  }
}

// A gateway's own words never reach the client: only which gateway failed and how.
function gatewayFailure(error: GatewayError): DomainError {
  return new DomainError('PAYMENT_GATEWAY_ERROR', `Gateway ${error.gateway} could not create the payment (${error.kind})`);
}
