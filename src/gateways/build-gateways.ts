import type { AppConfig } from '../config/app-config.js';
import type { Clock } from '../domain/clock.js';
import { GATEWAY_IDS } from '../domain/gateway-id.js';
import type { PaymentGateway } from './gateway.js';
import { MockGateway } from './mock/mock.gateway.js';
import { PaystackGateway } from './paystack/paystack.gateway.js';
import { StripeGateway } from './stripe/stripe.gateway.js';
import { GatewayRegistry } from './registry.js';
import { TkhGateway } from './tkh/tkh.gateway.js';
import { UnconfiguredGateway } from './unconfigured.gateway.js';

// Every known gateway gets an entry; the mock exists only in development and test.
export function buildGatewayRegistry(config: AppConfig, clock: Clock, adapters: readonly PaymentGateway[] = []): GatewayRegistry {
  const mockAllowed = config.nodeEnv !== 'production';
  const builtIn = (id: (typeof GATEWAY_IDS)[number]): PaymentGateway[] => {
    if (id === 'mock') return mockAllowed ? [new MockGateway(config.publicBaseUrl, config.mockWebhookSecret)] : [];
    if (id === 'tkh') return [new TkhGateway(config.gateways.tkh, clock)];
    if (id === 'stripe') return [new StripeGateway(config.gateways.stripe, clock)];
    if (id === 'paystack') return [new PaystackGateway(config.gateways.paystack, clock)];
    return [new UnconfiguredGateway(id)];
  };
  const gateways = GATEWAY_IDS.flatMap((id) => {
    const adapter = adapters.find((candidate) => candidate.id === id);
    return adapter ? [adapter] : builtIn(id);
  });
  return new GatewayRegistry(gateways, { mockAsLastResort: config.nodeEnv === 'development' });
}
