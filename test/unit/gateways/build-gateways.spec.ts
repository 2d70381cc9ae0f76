import { describe, expect, it } from '@jest/globals';
import { loadConfig, type Env } from '../../../src/config/load-config.js';
import { systemClock } from '../../../src/domain/clock.js';
import { GATEWAY_IDS } from '../../../src/domain/gateway-id.js';
import { buildGatewayRegistry } from '../../../src/gateways/build-gateways.js';
import type { GatewayRegistry } from '../../../src/gateways/registry.js';
import type { PaymentGateway } from '../../../src/gateways/gateway.js';

const BASE: Env = { NODE_ENV: 'test', PAYMENTS_TABLE_NAME: 'payments-test', PUBLIC_BASE_URL: 'http://payments.test' };
const PRODUCTION: Env = {
  NODE_ENV: 'production',
  PAYMENTS_TABLE_NAME: 'payments-prod',
  PUBLIC_BASE_URL: 'https://pay.example.com',
  TKH_API_KEY_HASH: 'a'.repeat(64),
  PAYMENTS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-prod',
};
const EVERY_CREDENTIAL: Env = {
  STRIPE_SECRET_KEY: 'sk_test_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  PAYSTACK_SECRET_KEY: 'sk_test_x',
  KKIAPAY_PUBLIC_KEY: 'pk',
  KKIAPAY_PRIVATE_KEY: 'pv',
  KKIAPAY_SECRET_KEY: 'sk',
  MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub',
  MOMO_COLLECTION_API_USER: 'user',
  MOMO_COLLECTION_API_KEY: 'key',
  TKH_BASE_URL: 'https://tkh.example',
  TKH_API_KEY: 'tkh',
};

const registryFor = (env: Env, adapters: PaymentGateway[] = []) => buildGatewayRegistry(loadConfig({ ...BASE, ...env }), systemClock, adapters);
// The gateways a registry has an adapter for (each load is an import()).
const setUp = async (registry: GatewayRegistry) => {
  const adapters = await Promise.all(GATEWAY_IDS.map((id) => registry.get(id)));
  return adapters.filter((adapter) => adapter !== undefined).map((adapter) => adapter.id);
};

// ADR 0020: an adapter's module is imported only where its gateway is set up.
describe('buildGatewayRegistry', () => {
  it('loads only the mock when no gateway has credentials (development and test)', async () => {
    expect(await setUp(registryFor({}))).toEqual(['mock']);
  });

  it('loads nothing in production without credentials (the mock never exists there)', async () => {
    expect(await setUp(buildGatewayRegistry(loadConfig(PRODUCTION), systemClock))).toEqual([]);
  });

  it('loads and configures every gateway whose credentials are set', async () => {
    const registry = registryFor(EVERY_CREDENTIAL);
    expect((await registry.configured()).map((gateway) => gateway.id)).toEqual([...GATEWAY_IDS]);
  });

  it('loads a gateway with only part of its credentials, which then says it is not configured', async () => {
    const registry = registryFor({ STRIPE_SECRET_KEY: 'sk_test_x', KKIAPAY_PUBLIC_KEY: 'pk' });
    expect((await registry.get('stripe'))?.isConfigured()).toBe(false);
    expect((await registry.get('kkiapay'))?.isConfigured()).toBe(false);
    expect((await registry.configured()).map((gateway) => gateway.id)).toEqual(['mock']);
  });

  it('loads MoMo for payouts alone (Disbursement credentials, no Collection)', async () => {
    const momo = await registryFor({ MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: 'sub', MOMO_DISBURSEMENT_API_USER: 'user', MOMO_DISBURSEMENT_API_KEY: 'key' }).get('momo');
    expect(momo?.isConfigured()).toBe(false);
    expect(momo?.canDisburse?.()).toBe(true);
  });

  it('loads MoMo for another country\'s set alone (MOMO_<CC>_*)', async () => {
    const momo = await registryFor({
      MOMO_CI_TARGET_ENVIRONMENT: 'mtnivorycoast',
      MOMO_CI_COLLECTION_SUBSCRIPTION_KEY: 'sub',
      MOMO_CI_COLLECTION_API_USER: 'user',
      MOMO_CI_COLLECTION_API_KEY: 'key',
    }).get('momo');
    expect(momo?.isConfigured()).toBe(true);
  });

  it('takes the adapters it is handed in place of the built-in ones', async () => {
    const own = { id: 'paystack', capabilities: { countries: 'any', currencies: ['NGN'], flows: ['redirect'] }, isConfigured: () => true } as unknown as PaymentGateway;
    const registry = registryFor({}, [own]);
    expect(await registry.get('paystack')).toBe(own);
    expect((await registry.configured()).map((gateway) => gateway.id)).toEqual(['paystack', 'mock']);
  });
});
