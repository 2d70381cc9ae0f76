import type { Clock, IdGenerator } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { GatewayId } from '../domain/gateway-id.js';
import type { PaymentIntent } from '../domain/intent.js';
import { normalizeMetadata } from '../domain/metadata.js';
import type { Currency } from '../domain/money.js';
import { GatewayError } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
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
    const [gateway] = this.gateways.candidates(command);
    if (!gateway) throw new DomainError('PAYMENT_GATEWAY_ERROR', 'No gateway available');
    const scope = idempotencyKey === null ? null : { appId, key: idempotencyKey };

    return this.idempotency.run<PaymentIntent>(scope, command, async (completion) => {
      const id = this.ids.newId();
      const useWidget = command.useWidget === true && gateway.id === 'kkiapay';
      const created = await gateway
        .createPayment({
          intentId: id,
          amount: command.amount,
          currency: command.currency,
          country: command.country,
          metadata,
          returnUrl: command.returnUrl ?? null,
          useWidget,
        })
        .catch((error: unknown) => {
          throw toGatewayFailure(error);
        });
      const now = this.clock.now().toISOString();
      const intent: PaymentIntent = {
        id,
        appId,
        referenceId: metadata.referenceId as string,
        amount: command.amount,
        currency: command.currency,
        country: command.country,
        status: 'pending',
        gateway: gateway.id,
        ...created,
        metadata,
        returnUrl: command.returnUrl ?? null,
        refundedAmount: 0,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.intents.create(intent, completion?.(intent));
      return intent;
    });
  }
}

// A gateway's own words never reach the client: only which gateway failed and how.
function toGatewayFailure(error: unknown): DomainError {
  if (error instanceof GatewayError) {
    return new DomainError('PAYMENT_GATEWAY_ERROR', `Gateway ${error.gateway} could not create the payment (${error.kind})`);
  }
  return new DomainError('PAYMENT_GATEWAY_ERROR', 'The gateway could not create the payment');
}
