import type { AppConfig } from '../config/app-config.js';
import { uuidGenerator, type Clock, type IdGenerator } from '../domain/clock.js';
import { GATEWAY_IDS, type GatewayId } from '../domain/gateway-id.js';
import type { PaymentGateway } from './gateway.js';
import { GatewayRegistry } from './registry.js';

interface BuiltIn {
  // Whether this deployment set anything up for the gateway. Loose on purpose (any credential):
  // the adapter itself then says whether it is configured (isConfigured, canDisburse).
  setUp(config: AppConfig): boolean;
  // import(): an adapter's code (and its SDK) is read only where it is set up (ADR 0020).
  load(config: AppConfig, clock: Clock, ids: IdGenerator): Promise<PaymentGateway>;
}

const anySet = (...values: readonly (string | null | undefined)[]) => values.some((value) => Boolean(value));

const BUILT_IN: Record<GatewayId, BuiltIn> = {
  stripe: {
    setUp: ({ gateways: { stripe } }) => anySet(stripe.secretKey, stripe.webhookSecret),
    load: async ({ gateways }, clock) => new (await import('./stripe/stripe.gateway.js')).StripeGateway(gateways.stripe, clock),
  },
  kkiapay: {
    setUp: ({ gateways: { kkiapay } }) => anySet(kkiapay.publicKey, kkiapay.privateKey, kkiapay.secretKey, kkiapay.webhookSecret),
    load: async ({ gateways }) => new (await import('./kkiapay/kkiapay.gateway.js')).KkiapayGateway(gateways.kkiapay),
  },
  momo: {
    setUp: ({ gateways: { momo } }) =>
      [momo, ...(momo.otherCountries ?? [])].some(({ collection, disbursement }) => anySet(...Object.values(collection), ...Object.values(disbursement))),
    load: async (config, clock, ids) =>
      new (await import('./momo/momo.gateway.js')).MomoGateway({ ...config.gateways.momo, callbackBaseUrl: config.publicBaseUrl }, clock, ids),
  },
  paystack: {
    setUp: ({ gateways: { paystack } }) => anySet(paystack.secretKey),
    load: async ({ gateways }, clock) => new (await import('./paystack/paystack.gateway.js')).PaystackGateway(gateways.paystack, clock),
  },
  tkh: {
    setUp: ({ gateways: { tkh } }) => anySet(tkh.baseUrl, tkh.apiKey, tkh.webhookSecret),
    load: async ({ gateways }, clock) => new (await import('./tkh/tkh.gateway.js')).TkhGateway(gateways.tkh, clock),
  },
  // Development and test only.
  mock: {
    setUp: (config) => config.nodeEnv !== 'production',
    load: async (config) => new (await import('./mock/mock.gateway.js')).MockGateway(config.publicBaseUrl, config.mockWebhookSecret),
  },
};

// The gateways this deployment set up (routing, webhooks and GET /gateways know no other), each
// adapter imported on its first use; tests may pass their own adapters in place of the built-in ones.
export function buildGatewayRegistry(
  config: AppConfig,
  clock: Clock,
  adapters: readonly PaymentGateway[] = [],
  ids: IdGenerator = uuidGenerator,
): GatewayRegistry {
  const setUp = GATEWAY_IDS.filter((id) => BUILT_IN[id].setUp(config) && !adapters.some((adapter) => adapter.id === id));
  const loaders = Object.fromEntries(setUp.map((id) => [id, () => BUILT_IN[id].load(config, clock, ids)]));
  return new GatewayRegistry(adapters, { mockAsLastResort: config.nodeEnv === 'development' }, loaders);
}
