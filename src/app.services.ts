import type { AppDependencies } from './app.dependencies.js';
import type { AppConfig } from './config/app-config.js';
import { disbursementProviderOf, type DisbursementProvider } from './gateways/disbursement-provider.js';
import { MoovDisbursementProvider } from './gateways/moov/moov-disbursement.provider.js';
import type { GatewayRegistry } from './gateways/registry.js';
import { AutoDisburseService } from './services/auto-disburse.service.js';
import { CancelIntentService } from './services/cancel-intent.service.js';
import { DisburseService } from './services/disburse.service.js';
import { GetIntentService } from './services/get-intent.service.js';
import { HandleWebhookService } from './services/handle-webhook.service.js';
import { IdempotencyService } from './services/idempotency.service.js';
import { PayoutSender } from './services/payout-sender.js';
import { MockCheckout } from './services/mock-checkout.service.js';
import { ReconcileIntentsService } from './services/reconcile-intents.service.js';
import { RecordPaymentOutcomeService } from './services/record-payment-outcome.service.js';
import { ReconcileRefundsService } from './services/reconcile-refunds.service.js';
import { RefundIntentService } from './services/refund-intent.service.js';
import { RefundSettlementService } from './services/refund-settlement.service.js';
import { VerifyKkiapayService } from './services/verify-kkiapay.service.js';
import { OpsService } from './services/ops.service.js';
import { DynamoOpsStore } from './storage/ops.repository.js';
import { DynamoDisbursementStore } from './storage/disbursement.repository.js';
import { DynamoIdempotencyStore } from './storage/idempotency.repository.js';
import { DynamoIntentRepository } from './storage/intent.repository.js';
import { DynamoIntentLookup } from './storage/intent-lookup.repository.js';
import { ListIntentsService } from './services/list-intents.service.js';
import { DynamoPaymentLifecycleStore } from './storage/payment-lifecycle.repository.js';
import { DynamoRefundStore } from './storage/refund.repository.js';
import { WebhookEndpointsService } from './services/webhook-endpoints.service.js';
import { WebhookEventsService } from './services/webhook-events.service.js';

export type AppServices = Awaited<ReturnType<typeof buildServices>>;

// The composition root for use cases: plain classes over the DynamoDB adapters, shared by the
// Nest module (HTTP, loaded on first use: app.services-on-first-use.ts) and the non-HTTP Lambda
// handlers. Creating an intent is wired apart (app.create-intent.ts).
export async function buildServices(deps: AppDependencies) {
  const { config, db, gateways, clock, ids, dispatcher } = deps;
  const webhookDelivery = await deps.webhooks();
  const intents = new DynamoIntentRepository(db, config.tableName);
  const idempotency = new IdempotencyService(new DynamoIdempotencyStore(db, config.tableName), clock, ids);
  const lifecycle = new DynamoPaymentLifecycleStore(db, config.tableName);
  const refundStore = new DynamoRefundStore(db, config.tableName);
  const outcomes = new RecordPaymentOutcomeService(intents, lifecycle, dispatcher, clock, ids);
  const refundSettlement = new RefundSettlementService(intents, refundStore, gateways, lifecycle, dispatcher, clock, ids);
  const webhooks = new HandleWebhookService(gateways, lifecycle, outcomes, clock, refundSettlement);
  const disbursementStore = new DynamoDisbursementStore(db, config.tableName);
  const getIntent = new GetIntentService(intents, refundStore, disbursementStore);
  const payouts = new PayoutSender(disbursementStore, deps.disbursementProviders ?? (await defaultDisbursementProviders(gateways, config)), dispatcher, clock, ids);
  const disburse = new DisburseService(intents, disbursementStore, refundStore, payouts, idempotency, config.payouts, clock);
  const refunds = new RefundIntentService(getIntent, intents, refundStore, gateways, idempotency, dispatcher, clock, ids);
  const cancelIntent = new CancelIntentService(getIntent, intents, gateways, outcomes, config.intentExpiry, clock);
  return {
    getIntent,
    webhooks,
    outcomes,
    verifyKkiapay: new VerifyKkiapayService(getIntent, intents, gateways, lifecycle, outcomes),
    refunds,
    refundSettlement,
    reconcileRefunds: new ReconcileRefundsService(intents, refundStore, gateways, refunds, clock, (refund) => refundSettlement.refresh(refund)),
    mockCheckout: new MockCheckout(gateways, intents, webhooks),
    disburse,
    autoDisburse: new AutoDisburseService(intents, disburse),
    reconcileIntents: new ReconcileIntentsService(intents, gateways, outcomes, clock, cancelIntent),
    ops: new OpsService(new DynamoOpsStore(db, config.tableName), clock),
    cancelIntent,
    listIntents: new ListIntentsService(new DynamoIntentLookup(db, config.tableName)),
    webhookEndpoints: new WebhookEndpointsService(webhookDelivery.endpoints, config.webhooks, clock, ids),
    webhookEvents: new WebhookEventsService(webhookDelivery.log, webhookDelivery.deliveries, webhookDelivery.endpoints, webhookDelivery.delivery),
  };
}

// MTN MoMo first, Moov Africa as the fallback (seed 001, Benin flow).
async function defaultDisbursementProviders(gateways: GatewayRegistry, config: AppConfig): Promise<DisbursementProvider[]> {
  const momo = disbursementProviderOf(await gateways.get('momo'), 'momo');
  return [...(momo ? [momo] : []), new MoovDisbursementProvider(config.gateways.moov)];
}
