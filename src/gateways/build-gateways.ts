import type { AppConfig } from '../config/app-config.js';
import { GATEWAY_IDS } from '../domain/gateway-id.js';
import type { PaymentGateway } from './gateway.js';
import { MockGateway } from './mock/mock.gateway.js';
import { GatewayRegistry } from './registry.js';
import { UnconfiguredGateway } from './unconfigured.gateway.js';

// Every known gateway gets an entry; the mock exists only in development and test.
export function buildGatewayRegistry(config: AppConfig, adapters: readonly PaymentGateway[] = []): GatewayRegistry {
  const mockAllowed = config.nodeEnv !== 'production';
  const gateways = GATEWAY_IDS.flatMap((id): PaymentGateway[] => {
    const adapter = adapters.find((candidate) => candidate.id === id);
    if (adapter) return [adapter];
    if (id === 'mock') return mockAllowed ? [new MockGateway(config.publicBaseUrl)] : [];
    return [new UnconfiguredGateway(id)];
  });
  return new GatewayRegistry(gateways, { mockAsLastResort: config.nodeEnv === 'development' });
}
