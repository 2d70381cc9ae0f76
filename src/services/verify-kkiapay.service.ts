import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { GatewayError, type GatewayPaymentStatus } from '../gateways/gateway.js';
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
// SUCCESS, that the transaction's partnerId names this intent, amount and currency, bind the
// transaction to this intent (one transaction can never pay two intents) and mark it succeeded
// through the same transaction + outbox path as a webhook. A refusal writes nothing, so a wrong
// call can never stop the right intent from being verified (ADR 0011).
export class VerifyKkiapayService {
  constructor(
    private readonly getIntent: GetIntentService,
    private readonly intents: IntentRepository,
    private readonly gateways: GatewayRegistry,
    private readonly store: PaymentLifecycleStore,
    private readonly outcomes: RecordPaymentOutcomeService,
  ) {}

  async execute(principal: Principal, input: { transactionId: string; intentId: string }): Promise<VerifyKkiapayResult> {
    const { transactionId } = input;
    const intent = await this.getIntent.execute(principal, input.intentId);
    if (intent.gateway !== 'kkiapay') {
      throw new DomainError('PAYMENT_ERROR', `PaymentIntent ${intent.id} is not a KkiaPay payment (gateway ${intent.gateway})`);
    }
    const owner = await this.store.findIntentIdByTransaction('kkiapay', transactionId);
    if (owner !== null && owner !== intent.id) throw transactionTaken(transactionId);
    if (intent.status === 'succeeded' && intent.gatewayTransactionId === transactionId) return { verified: true, intent };

    const confirmed = await this.statusOf(transactionId);
    checkPartner(confirmed, intent, transactionId);
    if (confirmed.status !== 'succeeded') {
      logger.info('kkiapay transaction not successful', { intentId: intent.id, gatewayStatus: confirmed.gatewayStatus });
      if (intent.status === 'succeeded') throw paidByAnother(intent);
      return { verified: false, intent };
    }
    const result = await this.outcomes.apply(
      intent.id,
      { status: 'succeeded', amount: confirmed.amount, currency: confirmed.currency },
      // Per intent: a call for the wrong intent can never make this one a duplicate.
      { gateway: 'kkiapay', eventId: `verify:${intent.id}:${transactionId}` },
      { bindTransaction: { gateway: 'kkiapay', transactionId } },
    );
    if (result === 'transaction_taken') throw transactionTaken(transactionId);
    if (result === 'second_transaction') throw paidByAnother(intent, ' (this one is kept for review)');
    if (result === 'mismatch') {
      throw new DomainError('PAYMENT_ERROR', `KkiaPay transaction ${transactionId} does not match the intent's amount and currency`);
    }
    const current = (await this.intents.get(intent.id)) ?? intent;
    if (current.status !== 'succeeded') return { verified: false, intent: current };
    if (current.gatewayTransactionId !== transactionId) throw paidByAnother(current);
    return { verified: true, intent: current };
  }

  private async statusOf(transactionId: string): Promise<GatewayPaymentStatus> {
    const gateway = await this.gateways.get('kkiapay');
    if (!gateway?.isConfigured() || !gateway.getStatus) {
      throw new DomainError('PAYMENT_GATEWAY_ERROR', 'KkiaPay is not configured in this environment');
    }
    return gateway.getStatus(transactionId).catch((error: unknown) => {
      if (error instanceof GatewayError) throw new DomainError('PAYMENT_GATEWAY_ERROR', `KkiaPay could not be reached (${error.kind})`);
      throw error;
    });
  }
}

// partnerId is the intent id the frontend passed to the widget. Another intent's id is a refusal;
// none at all (an old frontend) is still accepted — the binding keeps it to one intent — but said.
function checkPartner(confirmed: GatewayPaymentStatus, intent: PaymentIntent, transactionId: string): void {
  if (confirmed.partnerId === intent.id) return;
  if (confirmed.partnerId === undefined) {
    logger.warn('kkiapay transaction has no partnerId: bound to the intent the caller named', { intentId: intent.id, transactionId });
    return;
  }
  logger.warn('kkiapay transaction made for another partnerId', { intentId: intent.id, transactionId, partnerId: confirmed.partnerId });
  throw new DomainError('CONFLICT', `KkiaPay transaction ${transactionId} was not made for PaymentIntent ${intent.id}`);
}

const transactionTaken = (transactionId: string) =>
  new DomainError('CONFLICT', `KkiaPay transaction ${transactionId} already paid another intent`);

const paidByAnother = (intent: PaymentIntent, note = '') =>
  new DomainError('CONFLICT', `PaymentIntent ${intent.id} was already paid by another KkiaPay transaction${note}`);
