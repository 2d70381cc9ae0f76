import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { GatewayError } from '../gateways/gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import { logger } from '../logging/logger.js';
import type { GetIntentService } from './get-intent.service.js';
import type { IntentRepository, PaymentLifecycleStore } from './ports.js';
import type { Principal } from './principal.js';
import type { RecordPaymentOutcomeService } from './record-payment-outcome.service.js';

export interface VerifyKkiapayResult {
  verified: boolean;
  intent: PaymentIntent;
}

// POST /intents/verify-kkiapay (Mode B widget): never trust the browser — ask KkiaPay, check
// SUCCESS, amount and currency, bind the transaction to this intent (one transaction can never
// pay two intents) and mark it succeeded through the same transaction + outbox path as a webhook.
export class VerifyKkiapayService {
  constructor(
    private readonly getIntent: GetIntentService,
    private readonly intents: IntentRepository,
    private readonly gateways: GatewayRegistry,
    private readonly store: PaymentLifecycleStore,
    private readonly outcomes: RecordPaymentOutcomeService,
  ) {}

  async execute(principal: Principal, input: { transactionId: string; intentId: string }): Promise<VerifyKkiapayResult> {
    const intent = await this.getIntent.execute(principal, input.intentId);
    if (intent.gateway !== 'kkiapay') {
      throw new DomainError('PAYMENT_ERROR', `PaymentIntent ${intent.id} is not a KkiaPay payment (gateway ${intent.gateway})`);
    }
    const owner = await this.store.findIntentIdByTransaction('kkiapay', input.transactionId);
    if (owner !== null && owner !== intent.id) throw transactionTaken(input.transactionId);
    if (intent.status === 'succeeded') return this.alreadyPaid(intent, input.transactionId);

    const gateway = this.gateways.get('kkiapay');
    if (!gateway?.isConfigured() || !gateway.getStatus) {
      throw new DomainError('PAYMENT_GATEWAY_ERROR', 'KkiaPay is not configured in this environment');
    }
    const confirmed = await gateway.getStatus(input.transactionId).catch((error: unknown) => {
      if (error instanceof GatewayError) throw new DomainError('PAYMENT_GATEWAY_ERROR', `KkiaPay could not be reached (${error.kind})`);
      throw error;
    });
    if (confirmed.status !== 'succeeded') {
      logger.info('kkiapay transaction not successful', { intentId: intent.id, gatewayStatus: confirmed.gatewayStatus });
      return { verified: false, intent };
    }
    const result = await this.outcomes.apply(
      intent.id,
      { status: 'succeeded', amount: confirmed.amount, currency: confirmed.currency },
      { gateway: 'kkiapay', eventId: `verify:${input.transactionId}` },
      { bindTransaction: { gateway: 'kkiapay', transactionId: input.transactionId } },
    );
    if (result === 'transaction_taken') throw transactionTaken(input.transactionId);
    if (result === 'mismatch') {
      throw new DomainError('PAYMENT_ERROR', `KkiaPay transaction ${input.transactionId} does not match the intent's amount and currency`);
    }
    const current = (await this.intents.get(intent.id)) ?? intent;
    if (current.status === 'succeeded') return this.alreadyPaid(current, input.transactionId);
    return { verified: false, intent: current };
  }

  // Calling verify again is safe: same transaction → verified; another one → conflict.
  private alreadyPaid(intent: PaymentIntent, transactionId: string): VerifyKkiapayResult {
    if (intent.gatewayTransactionId !== null && intent.gatewayTransactionId !== transactionId) {
      throw new DomainError('CONFLICT', `PaymentIntent ${intent.id} was already paid by another KkiaPay transaction`);
    }
    return { verified: true, intent };
  }
}

const transactionTaken = (transactionId: string) =>
  new DomainError('CONFLICT', `KkiaPay transaction ${transactionId} already paid another intent`);
