import type { AppConfig } from '../config/app-config.js';
import { uuidGenerator, type Clock, type IdGenerator } from '../domain/clock.js';
import { assertUnreachable } from '../domain/errors.js';
import { GATEWAY_IDS, type GatewayId } from '../domain/gateway-id.js';
import type { PaymentGateway } from './gateway.js';
import { KkiapayGateway } from './kkiapay/kkiapay.gateway.js';
import { MockGateway } from './mock/mock.gateway.js';
import { MomoGateway } from './momo/momo.gateway.js';
import { PaystackGateway } from './paystack/paystack.gateway.js';
import { GatewayRegistry } from './registry.js';
import { StripeGateway } from './stripe/stripe.gateway.js';
import { TkhGateway } from './tkh/tkh.gateway.js';

// Every known gateway gets an entry (configured or not, so routing can skip it); the mock exists
// only in development and test. Tests may pass their own adapters in place of the built-in ones.
export function buildGatewayRegistry(
  config: AppConfig,
  clock: Clock,
  adapters: readonly PaymentGateway[] = [],
  ids: IdGenerator = uuidGenerator,
): GatewayRegistry {
  const { gateways: settings } = config;
  const builtIn = (id: GatewayId): PaymentGateway | null => {
    switch (id) {
      case 'stripe':
        return new StripeGateway(settings.stripe, clock);
      case 'paystack':
        return new PaystackGateway(settings.paystack, clock);
      case 'kkiapay':
        return new KkiapayGateway(settings.kkiapay);
      case 'momo':
        return new MomoGateway({ ...settings.momo, callbackBaseUrl: config.publicBaseUrl }, clock, ids);
      case 'tkh':
        return new TkhGateway(settings.tkh, clock);
      case 'mock':
        return config.nodeEnv === 'production' ? null : new MockGateway(config.publicBaseUrl, config.mockWebhookSecret);
      default:
        return assertUnreachable(id);
    }
  };
  const gateways = GATEWAY_IDS.flatMap((id) => {
    const gateway = adapters.find((candidate) => candidate.id === id) ?? builtIn(id);
    return gateway ? [gateway] : [];
  });
  return new GatewayRegistry(gateways, { mockAsLastResort: config.nodeEnv === 'development' });
}
