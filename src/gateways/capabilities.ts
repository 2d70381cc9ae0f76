import type { GatewayId } from '../domain/gateway-id.js';
import { CURRENCIES } from '../domain/money.js';
import type { GatewayCapabilities } from './gateway.js';

// What each gateway can do for us; see docs/adr/0003-gateway-capabilities.md for the sources.
export const GATEWAY_CAPABILITIES: Record<GatewayId, GatewayCapabilities> = {
  stripe: {
    countries: 'any',
    currencies: ['USD', 'EUR', 'CAD', 'GBP', 'XOF', 'XAF', 'GNF', 'NGN', 'GHS'],
    flows: ['client_secret'],
    refund: 'programmatic',
    disburse: false,
    webhookAuth: 'signature',
    requeryOnWebhook: false,
    createIdempotent: true,
  },
  kkiapay: {
    countries: ['BJ', 'TG', 'CI', 'SN', 'ML', 'NE', 'BF', 'CM', 'GA', 'CG', 'TD', 'GN', 'GH'],
    // KkiaPay collects in XOF; its status API returns no currency, so XOF is what we can verify.
    currencies: ['XOF'],
    // What KkiaPay can ever do; an instance without KKIAPAY_PUSH_PATH offers only the widget
    // (kkiapayCapabilities, ADR 0017).
    flows: ['push', 'widget'],
    refund: 'manual',
    disburse: false,
    webhookAuth: 'shared_secret',
    requeryOnWebhook: true,
    createIdempotent: false,
  },
  momo: {
    countries: ['BJ', 'CI', 'CM', 'CG', 'GN', 'GH', 'NG'],
    currencies: ['XOF', 'XAF', 'GNF', 'GHS', 'EUR'],
    flows: ['push'],
    refund: 'manual',
    disburse: true,
    webhookAuth: 'none',
    requeryOnWebhook: true,
    createIdempotent: false,
  },
  paystack: {
    countries: ['NG', 'GH'],
    currencies: ['NGN', 'GHS', 'USD'],
    flows: ['redirect'],
    refund: 'programmatic',
    disburse: false,
    webhookAuth: 'signature',
    requeryOnWebhook: true,
    createIdempotent: false,
  },
  tkh: {
    countries: 'any',
    currencies: ['USD', 'EUR', 'CAD', 'GBP', 'XOF', 'XAF'],
    flows: ['redirect'],
    refund: 'manual',
    disburse: false,
    webhookAuth: 'signature',
    requeryOnWebhook: false,
    createIdempotent: false,
  },
  mock: {
    countries: 'any',
    currencies: CURRENCIES,
    // Every flow, so KkiaPay widget and MoMo/KkiaPay push screens can be rehearsed locally.
    flows: ['redirect', 'push', 'widget'],
    refund: 'programmatic',
    disburse: false,
    webhookAuth: 'signature',
    requeryOnWebhook: false,
    createIdempotent: true,
  },
};
