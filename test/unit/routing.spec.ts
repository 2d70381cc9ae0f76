import { describe, expect, it } from '@jest/globals';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import type { CreatedPayment, PaymentGateway } from '../../src/gateways/gateway.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { DomainError } from '../../src/domain/errors.js';
import type { GatewayId } from '../../src/domain/gateway-id.js';
import type { Currency } from '../../src/domain/money.js';

const ALL: GatewayId[] = ['stripe', 'kkiapay', 'momo', 'paystack', 'tkh', 'mock'];

function fakeGateway(id: GatewayId, configured: boolean, currencies?: Currency[]): PaymentGateway {
  return {
    id,
    capabilities: { ...GATEWAY_CAPABILITIES[id], ...(currencies ? { currencies } : {}) },
    isConfigured: () => configured,
    createPayment: () => Promise.reject(new Error('not used')) as Promise<CreatedPayment>,
  };
}

// Every gateway configured and accepting every currency: the route is the seed's table itself.
const everything = (mockAsLastResort = false, except: GatewayId[] = []) =>
  new GatewayRegistry(
    ALL.map((id) => fakeGateway(id, !except.includes(id), ['XOF', 'XAF', 'GNF', 'GHS', 'NGN', 'USD', 'EUR', 'CAD', 'GBP'])),
    { mockAsLastResort },
  );
const ids = (gateways: PaymentGateway[]) => gateways.map((gateway) => gateway.id);

describe('gateway routing (seed 001 "Gateway Routing")', () => {
  it.each(['BJ', 'TG', 'CI', 'SN', 'ML', 'NE', 'BF', 'CM', 'GA', 'CG', 'TD', 'GN'])(
    '%s routes KkiaPay → MoMo → Stripe',
    (country) => {
      expect(ids(everything().candidates({ country, currency: 'XOF' }))).toEqual(['kkiapay', 'momo', 'stripe']);
    },
  );

  it('GH routes MoMo → KkiaPay → Stripe', () => {
    expect(ids(everything().candidates({ country: 'GH', currency: 'GHS' }))).toEqual(['momo', 'kkiapay', 'stripe']);
  });

  it('NG routes Paystack → Stripe → MoMo', () => {
    expect(ids(everything().candidates({ country: 'NG', currency: 'NGN' }))).toEqual(['paystack', 'stripe', 'momo']);
  });

  it.each(['CA', 'US', 'GB', 'FR'])('%s routes Stripe → TKH', (country) => {
    expect(ids(everything().candidates({ country, currency: 'USD' }))).toEqual(['stripe', 'tkh']);
  });

  it.each(['KE', 'DE', 'JP', 'ZA'])('%s ("all others") routes Stripe → KkiaPay → MoMo → Paystack', (country) => {
    expect(ids(everything().candidates({ country, currency: 'EUR' }))).toEqual(['stripe', 'kkiapay', 'momo', 'paystack']);
  });

  it('skips an unconfigured primary and keeps the order of the fallbacks', () => {
    expect(ids(everything(false, ['kkiapay']).candidates({ country: 'BJ', currency: 'XOF' }))).toEqual(['momo', 'stripe']);
    expect(ids(everything(false, ['paystack', 'stripe']).candidates({ country: 'NG', currency: 'NGN' }))).toEqual(['momo']);
  });

  it('skips gateways that do not take the currency (real capabilities)', () => {
    const registry = new GatewayRegistry(ALL.map((id) => fakeGateway(id, true)), { mockAsLastResort: false });
    // KkiaPay takes XOF/XAF only, so a GNF payment in Guinea goes to MoMo first.
    expect(ids(registry.candidates({ country: 'GN', currency: 'GNF' }))).toEqual(['momo', 'stripe']);
    // Paystack does not take EUR; MoMo does (its sandbox currency).
    expect(ids(registry.candidates({ country: 'NG', currency: 'EUR' }))).toEqual(['stripe', 'momo']);
  });

  it('uses gatewayOverride alone, whatever the country', () => {
    expect(ids(everything().candidates({ country: 'BJ', currency: 'XOF', gatewayOverride: 'tkh' }))).toEqual(['tkh']);
  });

  it('rejects an override to an unconfigured gateway with PAYMENT_ERROR', () => {
    expect(() => everything(false, ['stripe']).candidates({ country: 'CA', currency: 'CAD', gatewayOverride: 'stripe' })).toThrow(
      expect.objectContaining({ code: 'PAYMENT_ERROR', message: 'Gateway stripe is not available in this environment' }),
    );
  });

  it('rejects an override whose gateway lacks the currency with VALIDATION_ERROR naming currency', () => {
    const registry = new GatewayRegistry([fakeGateway('paystack', true)], { mockAsLastResort: false });
    expect(() => registry.candidates({ country: 'BJ', currency: 'XOF', gatewayOverride: 'paystack' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR', message: expect.stringContaining('currency XOF') }),
    );
  });

  it('falls back to the mock in development when nothing in the route is configured', () => {
    const registry = new GatewayRegistry(
      [...ALL.filter((id) => id !== 'mock').map((id) => fakeGateway(id, false)), fakeGateway('mock', true)],
      { mockAsLastResort: true },
    );
    expect(ids(registry.candidates({ country: 'BJ', currency: 'XOF' }))).toEqual(['mock']);
  });

  it('never routes to the mock on its own when it is not the last resort (test/production)', () => {
    const registry = new GatewayRegistry(
      [...ALL.filter((id) => id !== 'mock').map((id) => fakeGateway(id, false)), fakeGateway('mock', true)],
      { mockAsLastResort: false },
    );
    let thrown: unknown;
    try {
      registry.candidates({ country: 'BJ', currency: 'XOF' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      code: 'PAYMENT_GATEWAY_ERROR',
      message: 'No configured gateway accepts XOF payments in BJ',
    });
  });
});
