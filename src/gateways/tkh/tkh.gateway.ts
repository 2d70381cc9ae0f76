import type { Clock } from '../../domain/clock.js';
import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import {
  GatewayError,
  WebhookAuthError,
  type CreatedPayment,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type WebhookHeaders,
} from '../gateway.js';
import { assertFreshTimestamp, hexDigestsEqual, hmacHex, parseJsonBody } from '../webhook-signature.js';

export const TKH_SIGNATURE_HEADER = 'x-tkh-signature';
export const TKH_TIMESTAMP_HEADER = 'x-tkh-timestamp';
export const TKH_TOLERANCE_SECONDS = 300;

const STATUS_BY_TYPE: Record<string, GatewayWebhookEvent['status']> = {
  'payment.succeeded': 'succeeded',
  'payment.failed': 'failed',
  'payment.cancelled': 'cancelled',
};

export interface TkhSettings {
  webhookSecret: string | null;
}

// The in-house redirect gateway. Webhooks: X-TKH-Signature = hex HMAC-SHA256 of
// "<X-TKH-Timestamp>.<raw body>", timestamp within ±300 s. Checkout creation comes with the
// gateway adapters; until then it is not configured for payments.
export class TkhGateway implements PaymentGateway {
  readonly id = 'tkh' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.tkh;

  constructor(
    private readonly settings: TkhSettings,
    private readonly clock: Clock,
  ) {}

  isConfigured(): boolean {
    return false;
  }

  createPayment(): Promise<CreatedPayment> {
    return Promise.reject(new GatewayError('tkh', 'auth', 'tkh checkout is not configured', false, true));
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
}
