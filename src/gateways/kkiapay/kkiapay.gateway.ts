import { createHash, timingSafeEqual } from 'node:crypto';
import { uuidGenerator, type IdGenerator } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { isCurrency } from '../../domain/money.js';
import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import {
  GatewayError,
  WebhookAuthError,
  type CreatedPayment,
  type CreatePaymentInput,
  type GatewayCapabilities,
  type GatewayPaymentStatus,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type RefundResult,
  type WebhookHeaders,
} from '../gateway.js';
import { GATEWAY_CALLS, gatewayFetch, httpError } from '../http/gateway-http.js';
import { parseJsonBody } from '../webhook-signature.js';
import { kkiapayPushRequest, pushTransactionId } from './kkiapay-push.js';
import { isKkiapayWebhookEvent, KKIAPAY_WEBHOOK_STATUS, mapKkiapayStatus, reasonCode } from './kkiapay-status.js';

export { KKIAPAY_STATUS, KKIAPAY_STATUS_WORDS, mapKkiapayStatus, type KkiapayStatusWord } from './kkiapay-status.js';

export const KKIAPAY_SECRET_HEADER = 'x-kkiapay-secret';
export const KKIAPAY_STATUS_PATH = '/api/v1/transactions/status';
// KkiaPay collects in XOF (francs, no minor unit) and its status answer may carry no currency.
export const KKIAPAY_CURRENCY = 'XOF';

export interface KkiapaySettings {
  publicKey: string | null;
  privateKey: string | null;
  secretKey: string | null;
  // The dashboard's webhook "hash secret", sent back verbatim in x-kkiapay-secret.
  webhookSecret: string | null;
  // https://api.kkiapay.me (sandbox https://api-sandbox.kkiapay.me).
  baseUrl: string;
  // Mode A push: no public endpoint is documented, so there is no default. null (KKIAPAY_PUSH_PATH
  // unset) turns the push off: only the widget is offered (kkiapay-push.ts, ADR 0017).
  pushPath: string | null;
}

// The shared table is what KkiaPay can ever do; this deployment offers the push only with a path.
export function kkiapayCapabilities(pushPath: string | null): GatewayCapabilities {
  const base = GATEWAY_CAPABILITIES.kkiapay;
  return pushPath ? base : { ...base, flows: base.flows.filter((flow) => flow !== 'push') };
}

// KkiaPay (Benin and the XOF zone). Mode B (widget) creates nothing server-side: the browser pays
// and POST /intents/verify-kkiapay asks the status API. Mode A, only when KKIAPAY_PUSH_PATH is set,
// pushes a mobile-money request to metadata.phoneNumber. Webhooks carry a shared secret (not a
// body signature), so the pipeline re-queries the status API before acting (requeryOnWebhook).
export class KkiapayGateway implements PaymentGateway {
  readonly id = 'kkiapay' as const;
  readonly capabilities: GatewayCapabilities;

  constructor(
    private readonly settings: KkiapaySettings,
    // Same seam as the other adapters; nothing here generates an id today (the push is keyed
    // by our intent id as partnerId, and KkiaPay issues the transaction id).
    _ids: IdGenerator = uuidGenerator,
  ) {
    this.capabilities = kkiapayCapabilities(settings.pushPath || null);
  }

  isConfigured(): boolean {
    return Boolean(this.settings.publicKey && this.settings.privateKey && this.settings.secretKey);
  }

  validatePayment(input: CreatePaymentInput): void {
    // Routing never sends a push here without a path; this keeps an unknown endpoint uncalled.
    if (!input.useWidget && !this.settings.pushPath) {
      throw new DomainError('PAYMENT_ERROR', 'KkiaPay mobile-money push is not enabled here (KKIAPAY_PUSH_PATH is not set); set useWidget: true');
    }
    if (!input.useWidget && !(input.metadata.phoneNumber ?? '').replace(/\D/g, '')) {
      throw new DomainError('VALIDATION_ERROR', 'metadata.phoneNumber is required for KkiaPay mobile-money push (or set useWidget: true)');
    }
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    if (input.useWidget) return { gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'widget' };
    this.validatePayment(input);
    const pushPath = this.settings.pushPath as string; // set: validatePayment refuses a push without it
    const phoneDigits = (input.metadata.phoneNumber ?? '').replace(/\D/g, '');
    const response = await gatewayFetch('kkiapay', {
      method: 'POST',
      url: this.url(pushPath),
      headers: this.headers(),
      body: kkiapayPushRequest(input, phoneDigits),
    });
    // A 5xx or 409 after a push may still have reached the customer's phone (moves money).
    if (response.status < 200 || response.status > 299) throw httpError('kkiapay', response.status, 'payment push', GATEWAY_CALLS.kkiapay.create);
    const transactionId = pushTransactionId(response.body);
    // Accepted but unreadable: a push may be on the customer's phone, so never fall back.
    if (!transactionId) throw new GatewayError('kkiapay', 'unavailable', 'payment push: answer without transactionId', false, false);
    return { gatewayTransactionId: transactionId, paymentUrl: null, clientSecret: null, paymentMode: 'push' };
  }

  async getStatus(transactionId: string): Promise<GatewayPaymentStatus> {
    const response = await gatewayFetch('kkiapay', {
      method: 'POST',
      url: this.url(KKIAPAY_STATUS_PATH),
      headers: this.headers(),
      body: { transactionId },
    });
    if (response.status !== 200) throw httpError('kkiapay', response.status, 'transaction status');
    const body = response.body as { status?: unknown; amount?: unknown; currency?: unknown; reason?: unknown; partnerId?: unknown } | null;
    const gatewayStatus = typeof body?.status === 'string' && body.status ? body.status : 'UNKNOWN';
    const status = mapKkiapayStatus(gatewayStatus);
    const amount = integerAmount(body?.amount);
    // Success is only reported with an amount the core can check against the intent.
    if (status === 'succeeded' && amount === null) {
      throw new GatewayError('kkiapay', 'unavailable', 'transaction status: SUCCESS without a readable amount', true, true);
    }
    const failureReason = status === 'failed' ? (reasonCode(body?.reason) ?? gatewayStatus) : undefined;
    const partnerId = partnerIdOf(body?.partnerId);
    return {
      status,
      gatewayStatus,
      ...(amount !== null ? { amount } : {}),
      currency: isCurrency(body?.currency) ? body.currency : KKIAPAY_CURRENCY,
      ...(failureReason ? { failureReason } : {}),
      ...(partnerId ? { partnerId } : {}),
    };
  }

  // Seed 001: KkiaPay refunds are manual (dashboard), although the API has
  // POST /api/v1/transactions/revert. No call is made.
  refund(): Promise<RefundResult> {
    return Promise.resolve({ status: 'pending', gatewayRefundId: null });
  }

  // x-kkiapay-secret is the dashboard's hash secret sent verbatim. Both sides are hashed to
  // fixed-length SHA-256 digests before timingSafeEqual, so neither content nor length leaks.
  verifyWebhook(_rawBody: Buffer, headers: WebhookHeaders): void {
    const expected = this.settings.webhookSecret;
    if (!expected) throw new WebhookAuthError('KKIAPAY_WEBHOOK_SECRET is not configured');
    const presented = headerValue(headers, KKIAPAY_SECRET_HEADER);
    if (!presented || !timingSafeEqual(sha256(expected), sha256(presented))) throw new WebhookAuthError('bad x-kkiapay-secret');
  }

  // Body (community): { transactionId, isPaymentSucces, event, amount, fees, partnerId, ... }.
  // Only a hint: the pipeline re-queries getStatus before anything changes. partnerId (our intent
  // id, passed to the widget) links a transaction the browser never verified to its intent.
  parseWebhook(rawBody: Buffer): GatewayWebhookEvent[] {
    const body = parseJsonBody(rawBody) as { transactionId?: unknown; event?: unknown; partnerId?: unknown } | null;
    const event = body?.event;
    const transactionId = body?.transactionId;
    if (!isKkiapayWebhookEvent(event) || typeof transactionId !== 'string' || !transactionId) return [];
    const partnerId = partnerIdOf(body?.partnerId);
    return [
      {
        eventId: `${event}:${transactionId}`,
        gatewayTransactionId: transactionId,
        status: KKIAPAY_WEBHOOK_STATUS[event],
        ...(partnerId ? { partnerId } : {}),
      },
    ];
  }

  private url(path: string): string {
    return `${this.settings.baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
  }

  // Header names as in KkiaPay's Node SDK.
  private headers(): Record<string, string> {
    return {
      'x-api-key': this.settings.publicKey ?? '',
      'x-private-key': this.settings.privateKey ?? '',
      'x-secret-key': this.settings.secretKey ?? '',
    };
  }
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

// Only a short, non-empty string is a reference we could match; anything else is ignored.
const partnerIdOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;

// Francs as an integer; KkiaPay sends a number (a digit string is accepted too).
function integerAmount(value: unknown): number | null {
  const amount = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0 ? amount : null;
}
