import { describe, expect, it } from '@jest/globals';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import type { CreatedPayment, GatewayCapabilities, PaymentGateway } from '../../src/gateways/gateway.js';
import { KkiapayGateway } from '../../src/gateways/kkiapay/kkiapay.gateway.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { DomainError } from '../../src/domain/errors.js';
import type { GatewayId } from '../../src/domain/gateway-id.js';
import type { Currency } from '../../src/domain/money.js';

const ALL: GatewayId[] = ['stripe', 'kkiapay', 'momo', 'paystack', 'tkh', 'mock'];

function fakeGateway(id: GatewayId, configured: boolean, currencies?: Currency[], more: Partial<GatewayCapabilities> = {}): PaymentGateway {
  return {
    id,
    capabilities: { ...GATEWAY_CAPABILITIES[id], ...(currencies ? { currencies } : {}), ...more },
    isConfigured: () => configured,
    createPayment: () => Promise.reject(new Error('not used')) as Promise<CreatedPayment>,
  };
}

const EVERY_CURRENCY: Currency[] = ['XOF', 'XAF', 'GNF', 'GHS', 'NGN', 'USD', 'EUR', 'CAD', 'GBP'];
// Every gateway configured, accepting every currency and country: the route is the seed's table itself.
const everything = (mockAsLastResort = false, except: GatewayId[] = []) =>
  new GatewayRegistry(
    ALL.map((id) => fakeGateway(id, !except.includes(id), EVERY_CURRENCY, { countries: 'any' })),
    { mockAsLastResort },
  );
const ids = (gateways: PaymentGateway[]) => gateways.map((gateway) => gateway.id);

describe('gateway routing (seed 001 "Gateway Routing")', () => {
  it.each(['BJ', 'TG', 'CI', 'SN', 'ML', 'NE', 'BF', 'CM', 'GA', 'CG', 'TD', 'GN'])(
    '%s routes KkiaPay → MoMo → Stripe',
    async (country) => {
      expect(ids(await everything().candidates({ country, currency: 'XOF' }))).toEqual(['kkiapay', 'momo', 'stripe']);
    },
  );

  it('GH routes MoMo → KkiaPay → Stripe', async () => {
    expect(ids(await everything().candidates({ country: 'GH', currency: 'GHS' }))).toEqual(['momo', 'kkiapay', 'stripe']);
  });

  it('NG routes Paystack → Stripe → MoMo', async () => {
    expect(ids(await everything().candidates({ country: 'NG', currency: 'NGN' }))).toEqual(['paystack', 'stripe', 'momo']);
  });

  it.each(['CA', 'US', 'GB', 'FR'])('%s routes Stripe → TKH', async (country) => {
    expect(ids(await everything().candidates({ country, currency: 'USD' }))).toEqual(['stripe', 'tkh']);
  });

  it.each(['KE', 'DE', 'JP', 'ZA'])('%s ("all others") routes Stripe → KkiaPay → MoMo → Paystack', async (country) => {
    expect(ids(await everything().candidates({ country, currency: 'EUR' }))).toEqual(['stripe', 'kkiapay', 'momo', 'paystack']);
  });

  it('skips an unconfigured primary and keeps the order of the fallbacks', async () => {
    expect(ids(await everything(false, ['kkiapay']).candidates({ country: 'BJ', currency: 'XOF' }))).toEqual(['momo', 'stripe']);
    expect(ids(await everything(false, ['paystack', 'stripe']).candidates({ country: 'NG', currency: 'NGN' }))).toEqual(['momo']);
  });

  it('skips gateways that do not take the currency (real capabilities)', async () => {
    const registry = new GatewayRegistry(ALL.map((id) => fakeGateway(id, true)), { mockAsLastResort: false });
    // KkiaPay takes XOF/XAF only, so a GNF payment in Guinea goes to MoMo first.
    expect(ids(await registry.candidates({ country: 'GN', currency: 'GNF' }))).toEqual(['momo', 'stripe']);
    // Paystack does not take EUR; MoMo does (its sandbox currency).
    expect(ids(await registry.candidates({ country: 'NG', currency: 'EUR' }))).toEqual(['stripe', 'momo']);
  });

  it('uses gatewayOverride alone, whatever the country', async () => {
    expect(ids(await everything().candidates({ country: 'BJ', currency: 'XOF', gatewayOverride: 'tkh' }))).toEqual(['tkh']);
  });

  it('rejects an override to an unconfigured gateway with PAYMENT_ERROR', async () => {
    await expect(everything(false, ['stripe']).candidates({ country: 'CA', currency: 'CAD', gatewayOverride: 'stripe' })).rejects.toThrow(
      expect.objectContaining({ code: 'PAYMENT_ERROR', message: 'Gateway stripe is not available in this environment' }),
    );
  });

  it('rejects an override whose gateway lacks the currency with VALIDATION_ERROR naming currency', async () => {
    const registry = new GatewayRegistry([fakeGateway('paystack', true)], { mockAsLastResort: false });
    await expect(registry.candidates({ country: 'BJ', currency: 'XOF', gatewayOverride: 'paystack' })).rejects.toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR', message: expect.stringContaining('currency XOF') }),
    );
  });

  it('falls back to the mock in development when nothing in the route is configured', async () => {
    const registry = new GatewayRegistry(
      [...ALL.filter((id) => id !== 'mock').map((id) => fakeGateway(id, false)), fakeGateway('mock', true)],
      { mockAsLastResort: true },
    );
    expect(ids(await registry.candidates({ country: 'BJ', currency: 'XOF' }))).toEqual(['mock']);
  });

  it('never routes to the mock on its own when it is not the last resort (test/production)', async () => {
    const registry = new GatewayRegistry(
      [...ALL.filter((id) => id !== 'mock').map((id) => fakeGateway(id, false)), fakeGateway('mock', true)],
      { mockAsLastResort: false },
    );
    let thrown: unknown;
    try {
      await registry.candidates({ country: 'BJ', currency: 'XOF' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      code: 'PAYMENT_GATEWAY_ERROR',
      message: 'No configured gateway accepts XOF payments in BJ',
    });
  });
  describe('by flow and country (ADR 0017)', () => {
    const kkiapay = (pushPath: string | null) =>
      new KkiapayGateway({ publicKey: 'pk', privateKey: 'tpk', secretKey: 'tsk', webhookSecret: null, baseUrl: 'http://127.0.0.1:9', pushPath });
    // The real capabilities of every other gateway, all configured, and a real KkiaPay adapter.
    const withKkiapay = (pushPath: string | null, others: GatewayId[] = ['momo', 'stripe']) =>
      new GatewayRegistry([kkiapay(pushPath), ...others.map((id) => fakeGateway(id, true))], { mockAsLastResort: false });

    it('KkiaPay offers the push only with KKIAPAY_PUSH_PATH; the table stays what it can ever do', async () => {
      expect(kkiapay(null).capabilities.flows).toEqual(['widget']);
      expect(kkiapay('/merchant/push').capabilities.flows).toEqual(['push', 'widget']);
      expect(GATEWAY_CAPABILITIES.kkiapay.flows).toEqual(['push', 'widget']);
    });

    it('BJ without useWidget and no KkiaPay push goes to MoMo push first (fallback 1)', async () => {
      expect(ids(await withKkiapay(null).candidates({ country: 'BJ', currency: 'XOF' }))).toEqual(['momo', 'stripe']);
      expect(ids(await withKkiapay('/merchant/push').candidates({ country: 'BJ', currency: 'XOF' }))).toEqual(['kkiapay', 'momo', 'stripe']);
    });

    it('useWidget: true stays on KkiaPay alone, push path or not', async () => {
      expect(ids(await withKkiapay(null).candidates({ country: 'BJ', currency: 'XOF', useWidget: true }))).toEqual(['kkiapay']);
      expect(ids(await withKkiapay('/merchant/push').candidates({ country: 'BJ', currency: 'XOF', useWidget: true }))).toEqual(['kkiapay']);
    });

    it('no gateway for the requested flow is 502 naming the flow', async () => {
      await expect(withKkiapay(null, []).candidates({ country: 'BJ', currency: 'XOF' })).rejects.toThrow(
        expect.objectContaining({ code: 'PAYMENT_GATEWAY_ERROR', message: 'No configured gateway offers a server-side flow (without useWidget) for XOF payments in BJ' }),
      );
      await expect(withKkiapay(null).candidates({ country: 'CA', currency: 'CAD', useWidget: true })).rejects.toThrow(
        expect.objectContaining({ code: 'PAYMENT_GATEWAY_ERROR', message: 'No configured gateway offers the widget flow (useWidget: true) for CAD payments in CA' }),
      );
    });

    it('never routes a country a gateway does not declare', async () => {
      // Real capabilities: MoMo does not declare TG, KkiaPay does not declare KE.
      expect(ids(await withKkiapay('/p').candidates({ country: 'TG', currency: 'XOF' }))).toEqual(['kkiapay', 'stripe']);
      expect(ids(await withKkiapay('/p').candidates({ country: 'KE', currency: 'XOF' }))).toEqual(['stripe']);
      // A deployment that narrows its countries (MoMo set up for Ghana only) is skipped elsewhere.
      const ghanaOnly = new GatewayRegistry([fakeGateway('momo', true, undefined, { countries: ['GH'] }), fakeGateway('stripe', true)], { mockAsLastResort: false });
      expect(ids(await ghanaOnly.candidates({ country: 'BJ', currency: 'XOF' }))).toEqual(['stripe']);
      expect(ids(await ghanaOnly.candidates({ country: 'GH', currency: 'GHS' }))).toEqual(['momo', 'stripe']);
    });

    it('an override that can never serve the request is 400; one this deployment has not set up is 402', async () => {
      const registry = withKkiapay(null);
      await expect(registry.candidates({ country: 'CA', currency: 'XOF', gatewayOverride: 'stripe', useWidget: true })).rejects.toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR', message: 'gateway stripe does not offer the widget flow (useWidget: true)' }),
      );
      await expect(registry.candidates({ country: 'BJ', currency: 'XOF', gatewayOverride: 'kkiapay' })).rejects.toThrow(
        expect.objectContaining({
          code: 'PAYMENT_ERROR',
          message: 'gateway kkiapay does not offer a server-side flow (without useWidget) in this environment (flows here: widget)',
        }),
      );
      await expect(registry.candidates({ country: 'US', currency: 'XOF', gatewayOverride: 'momo' })).rejects.toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR', message: 'country US is not served by gateway momo' }),
      );
      const ghanaOnly = new GatewayRegistry([fakeGateway('momo', true, undefined, { countries: ['GH'] })], { mockAsLastResort: false });
      await expect(ghanaOnly.candidates({ country: 'BJ', currency: 'XOF', gatewayOverride: 'momo' })).rejects.toThrow(
        expect.objectContaining({ code: 'PAYMENT_ERROR', message: 'country BJ is not served by gateway momo in this environment' }),
      );
      expect(ids(await registry.candidates({ country: 'BJ', currency: 'XOF', gatewayOverride: 'kkiapay', useWidget: true }))).toEqual(['kkiapay']);
    });

    it('the development mock is the last resort only for a flow it serves', async () => {
      const only = (flows: GatewayCapabilities['flows']) =>
        new GatewayRegistry([fakeGateway('kkiapay', false), fakeGateway('mock', true, undefined, { flows })], { mockAsLastResort: true });
      expect(ids(await only(['redirect', 'widget']).candidates({ country: 'BJ', currency: 'XOF', useWidget: true }))).toEqual(['mock']);
      await expect(only(['redirect']).candidates({ country: 'BJ', currency: 'XOF', useWidget: true })).rejects.toThrow(expect.objectContaining({ code: 'PAYMENT_GATEWAY_ERROR' }));
    });
  });
});

// ADR 0020: an adapter's module is imported on its first use, once.
describe('gateway adapters load on first use', () => {
  const lazyRegistry = (failFirst: GatewayId[] = []) => {
    const loads: GatewayId[] = [];
    const loader = (id: GatewayId) => async () => {
      loads.push(id);
      if (failFirst.includes(id) && loads.filter((loaded) => loaded === id).length === 1) throw new Error(`chunk of ${id} unreadable`);
      return fakeGateway(id, true, EVERY_CURRENCY, { countries: 'any' });
    };
    return { loads, registry: new GatewayRegistry([], { mockAsLastResort: false }, Object.fromEntries(ALL.map((id) => [id, loader(id)]))) };
  };

  it('routing loads only the gateways of the request\'s route, each once however many ask at the same time', async () => {
    const { loads, registry } = lazyRegistry();
    const answers = await Promise.all(Array.from({ length: 5 }, () => registry.candidates({ country: 'NG', currency: 'NGN' })));
    expect(answers.map(ids)).toEqual(Array.from({ length: 5 }, () => ['paystack', 'stripe', 'momo']));
    expect([...loads].sort()).toEqual(['momo', 'paystack', 'stripe']);
    await registry.get('tkh');
    expect(loads).toContain('tkh');
    expect(loads).toHaveLength(4);
  });

  it('a failed load is tried again by the next use', async () => {
    const { loads, registry } = lazyRegistry(['tkh']);
    await expect(registry.get('tkh')).rejects.toThrow('chunk of tkh unreadable');
    expect((await registry.get('tkh'))?.id).toBe('tkh');
    expect(loads).toEqual(['tkh', 'tkh']);
  });
});
