import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { IntentStatus } from '../../domain/intent.js';
import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import {
  GatewayError,
  WebhookAuthError,
  type CreatedPayment,
  type CreatePaymentInput,
  type GatewayPaymentStatus,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type RefundResult,
  type WebhookHeaders,
} from '../gateway.js';
import { gatewayFetch, httpError } from '../http/gateway-http.js';
import { parseJsonBody } from '../webhook-signature.js';

export const KKIAPAY_SECRET_HEADER = 'x-kkiapay-secret';

// Statuses listed by KkiaPay's SDKs (reference/gateways.md); PENDING is unverified. An unknown
// word is never success.
export const KKIAPAY_STATUS: Record<string, IntentStatus> = {
  SUCCESS: 'succeeded',
  PENDING: 'pending',
  FAILED: 'failed',
  INSUFFICIENT_FUND: 'failed',
  TRANSACTION_NOT_ELIGIBLE: 'failed',
  TRANSACTION_NOT_FOUND: 'failed',
  INVALID_TRANSACTION: 'failed',
  INVALID_TRANSACTION_TYPE: 'failed',
  INVALID_PAYOUT_DESTINATION_ACCOUNT: 'failed',
};

const WEBHOOK_EVENTS: Record<string, IntentStatus> = { 'transaction.success': 'succeeded', 'transaction.failed': 'failed' };

export interface KkiapaySettings {
  publicKey: string | null;
  privateKey: string | null;
  secretKey: string | null;
  webhookSecret: string | null;
  baseUrl: string;
  // Mode A push: no public endpoint is documented (docs/gateways/kkiapay.md), so it is configurable.
  pushPath: string;
}

// KkiaPay (Benin). Mode B (widget) creates nothing server-side; Mode A pushes a mobile-money
// request to metadata.phoneNumber. Webhooks carry a shared secret and only trigger a re-query.
export class KkiapayGateway implements PaymentGateway {
  readonly id = 'kkiapay' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.kkiapay;

  constructor(private readonly settings: KkiapaySettings) {}

  isConfigured(): boolean {
    return Boolean(this.settings.publicKey && this.settings.privateKey && this.settings.secretKey);
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    if (input.useWidget) return { gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'widget' };
    const phone = input.metadata.phoneNumber;
    if (!phone) {
      throw new DomainError('VALIDATION_ERROR', 'metadata.phoneNumber is required for KkiaPay mobile-money push (or set useWidget: true)');
    }
    const response = await gatewayFetch('kkiapay', {
      method: 'POST',
      url: this.url(this.settings.pushPath),
      headers: this.headers(),
      body: pushRequestBody(input, phone),
    });
    if (response.status < 200 || response.status > 299) throw httpError('kkiapay', response.status, 'payment push');
    const transactionId = (response.body as { transactionId?: unknown } | null)?.transactionId;
    if (typeof transactionId !== 'string' || !transactionId) {
      throw new GatewayError('kkiapay', 'unavailable', 'payment push: no transactionId in the answer', false, false);
    }
    return { gatewayTransactionId: transactionId, paymentUrl: null, clientSecret: null, paymentMode: 'push' };
  }

  async getStatus(transactionId: string): Promise<GatewayPaymentStatus> {
    const response = await gatewayFetch('kkiapay', {
      method: 'POST',
      url: this.url('/api/v1/transactions/status'),
      headers: this.headers(),
      body: { transactionId },
    });
    if (response.status !== 200) throw httpError('kkiapay', response.status, 'transaction status');
    const body = response.body as { status?: unknown; amount?: unknown; reason?: unknown } | null;
    const gatewayStatus = typeof body?.status === 'string' ? body.status : 'UNKNOWN';
    return {
      status: KKIAPAY_STATUS[gatewayStatus] ?? 'pending',
      gatewayStatus,
      // KkiaPay collects XOF only; its status answer carries no currency.
      ...(typeof body?.amount === 'number' ? { amount: body.amount, currency: 'XOF' } : {}),
      ...(typeof body?.reason === 'string' ? { failureReason: body.reason } : {}),
    };
  }

  // Seed 001: KkiaPay refunds are manual (dashboard), although the API has a revert endpoint.
  refund(): Promise<RefundResult> {
    return Promise.resolve({ status: 'pending', gatewayRefundId: null });
  }

  // x-kkiapay-secret is the dashboard's "hash secret" sent verbatim: compare digests in
  // constant time so neither content nor length leaks.
  verifyWebhook(_rawBody: Buffer, headers: WebhookHeaders): void {
    const expected = this.settings.webhookSecret;
    const presented = headers[KKIAPAY_SECRET_HEADER];
    if (!expected) throw new WebhookAuthError('KKIAPAY_WEBHOOK_SECRET is not configured');
    if (!presented || !timingSafeEqual(sha256(expected), sha256(presented))) throw new WebhookAuthError('bad x-kkiapay-secret');
  }

  parseWebhook(rawBody: Buffer): GatewayWebhookEvent[] {
    const body = parseJsonBody(rawBody) as { transactionId?: unknown; event?: unknown } | null;
    const status = typeof body?.event === 'string' ? WEBHOOK_EVENTS[body.event] : undefined;
    if (!status || typeof body?.transactionId !== 'string') return [];
    return [{ eventId: `${String(body.event)}:${body.transactionId}`, gatewayTransactionId: body.transactionId, status }];
  }

  private url(path: string): string {
    return `${this.settings.baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
  }

  private headers(): Record<string, string> {
    return {
      'x-api-key': this.settings.publicKey ?? '',
      'x-private-key': this.settings.privateKey ?? '',
      'x-secret-key': this.settings.secretKey ?? '',
    };
  }
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

// ASSUMPTION (unverified, see docs/gateways/kkiapay.md): the push request's body shape.
// XOF has no minor unit, so the amount is sent as the integer number of francs.
export function pushRequestBody(input: CreatePaymentInput, e164Phone: string) {
  return {
    amount: input.amount,
    phoneNumber: e164Phone.replace(/^\+/, ''),
    partnerId: input.intentId,
    reason: `${input.metadata.appId} ${input.metadata.referenceId}`.slice(0, 100),
  };
}
