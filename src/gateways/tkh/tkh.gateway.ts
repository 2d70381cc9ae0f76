import type { Clock } from '../../domain/clock.js';
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
import { GATEWAY_CALLS, gatewayFetch, httpError, unreadableError } from '../http/gateway-http.js';
import { assertFreshTimestamp, hexDigestsEqual, hmacHex, parseJsonBody } from '../webhook-signature.js';

export const TKH_SIGNATURE_HEADER = 'x-tkh-signature';
export const TKH_TIMESTAMP_HEADER = 'x-tkh-timestamp';
export const TKH_TOLERANCE_SECONDS = 300;

const STATUS_BY_TYPE: Record<string, IntentStatus> = {
  'payment.succeeded': 'succeeded',
  'payment.failed': 'failed',
  'payment.cancelled': 'cancelled',
};

// Checkout statuses of the in-house gateway (docs/gateways/tkh.md), mapped exhaustively.
export const TKH_CHECKOUT_STATUS: Record<string, IntentStatus> = {
  open: 'pending',
  processing: 'processing',
  paid: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'cancelled',
};

export interface TkhSettings {
  baseUrl: string | null;
  apiKey: string | null;
  webhookSecret: string | null;
}

// The in-house redirect gateway: creates a checkout at TKH_BASE_URL and returns its URL.
// Webhooks: X-TKH-Signature = hex HMAC-SHA256 of "<X-TKH-Timestamp>.<raw body>", ±300 s.
export class TkhGateway implements PaymentGateway {
  readonly id = 'tkh' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.tkh;

  constructor(
    private readonly settings: TkhSettings,
    private readonly clock: Clock,
  ) {}

  isConfigured(): boolean {
    return Boolean(this.settings.baseUrl && this.settings.apiKey);
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const response = await gatewayFetch('tkh', {
      method: 'POST',
      url: `${this.baseUrl()}/v1/checkouts`,
      // The intent id as idempotency key: a retried create returns the same checkout.
      headers: { ...this.auth(), 'idempotency-key': input.intentId },
      body: {
        reference: input.intentId,
        amount: input.amount,
        currency: input.currency,
        returnUrl: input.returnUrl,
        metadata: { appId: input.metadata.appId, referenceId: input.metadata.referenceId },
      },
    });
    const body = response.body as { id?: unknown; url?: unknown } | null;
    // An inert checkout (ADR 0010): a 5xx counts as refused, an unreadable 2xx does not.
    if (response.status !== 201 && response.status !== 200) throw httpError('tkh', response.status, 'create checkout', GATEWAY_CALLS.tkh.create);
    if (typeof body?.id !== 'string' || typeof body.url !== 'string') throw unreadableError('tkh', GATEWAY_CALLS.tkh.create, 'create checkout');
    return { gatewayTransactionId: body.id, paymentUrl: body.url, clientSecret: null, paymentMode: 'redirect' };
  }

  async getStatus(gatewayTransactionId: string): Promise<GatewayPaymentStatus> {
    const response = await gatewayFetch('tkh', {
      method: 'GET',
      url: `${this.baseUrl()}/v1/checkouts/${encodeURIComponent(gatewayTransactionId)}`,
      headers: this.auth(),
    });
    if (response.status !== 200) throw httpError('tkh', response.status, 'get checkout', GATEWAY_CALLS.tkh.status);
    const body = response.body as { status?: unknown; amount?: unknown; currency?: unknown } | null;
    const gatewayStatus = typeof body?.status === 'string' ? body.status : 'unknown';
    return {
      // An unknown word is never taken as success.
      status: TKH_CHECKOUT_STATUS[gatewayStatus] ?? 'pending',
      gatewayStatus,
      ...(typeof body?.amount === 'number' ? { amount: body.amount } : {}),
      ...(typeof body?.currency === 'string' ? { currency: body.currency } : {}),
    };
  }

  // Seed 001: TKH refunds are manual until Phase 2.
  refund(): Promise<RefundResult> {
    return Promise.resolve({ status: 'pending', gatewayRefundId: null });
  }

  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): void {
    const secret = this.settings.webhookSecret;
    if (!secret) throw new WebhookAuthError('TKH_WEBHOOK_SECRET is not configured');
    const timestamp = headers[TKH_TIMESTAMP_HEADER];
    assertFreshTimestamp(timestamp, this.clock.now().getTime(), TKH_TOLERANCE_SECONDS);
    const expected = hmacHex('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]));
    if (!hexDigestsEqual(expected, headers[TKH_SIGNATURE_HEADER])) throw new WebhookAuthError('bad X-TKH-Signature');
  }

  // Body: { id, type: "payment.succeeded" | "payment.failed" | "payment.cancelled",
  //         data: { transactionId, amount, currency, failureReason? } }
  parseWebhook(rawBody: Buffer): GatewayWebhookEvent[] {
    const body = parseJsonBody(rawBody) as {
      id?: unknown;
      type?: unknown;
      data?: { transactionId?: unknown; amount?: unknown; currency?: unknown; failureReason?: unknown };
    } | null;
    const status = typeof body?.type === 'string' ? STATUS_BY_TYPE[body.type] : undefined;
    const data = body?.data;
    if (!status || typeof body?.id !== 'string' || typeof data?.transactionId !== 'string') return [];
    return [
      {
        eventId: body.id,
        gatewayTransactionId: data.transactionId,
        status,
        ...(typeof data.amount === 'number' ? { amount: data.amount } : {}),
        ...(typeof data.currency === 'string' ? { currency: data.currency } : {}),
        ...(typeof data.failureReason === 'string' ? { failureReason: data.failureReason } : {}),
      },
    ];
  }

  private baseUrl(): string {
    if (!this.settings.baseUrl) throw new GatewayError('tkh', 'auth', 'tkh is not configured', false, true);
    return this.settings.baseUrl.replace(/\/+$/, '');
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.settings.apiKey ?? ''}` };
  }
}
