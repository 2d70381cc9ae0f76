import type { PaymentMode } from '../../domain/intent.js';
import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import {
  WebhookAuthError,
  type CreatedPayment,
  type CreatePaymentInput,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type RefundInput,
  type RefundResult,
  type WebhookHeaders,
} from '../gateway.js';
import { hexDigestsEqual, hmacHex, parseJsonBody } from '../webhook-signature.js';

export const MOCK_SIGNATURE_HEADER = 'x-mock-signature';

// Development/test gateway: every currency, a local payment page (redirect, push or widget, see
// mockFlow), settles via POST /webhooks/mock
// with { gatewayTransactionId, status: "succeeded" | "failed", amount, currency, eventId? } (a
// success without amount and currency goes to review, as for every gateway).
export class MockGateway implements PaymentGateway {
  readonly id = 'mock' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.mock;

  constructor(
    private readonly publicBaseUrl: string,
    // Unset (development default): webhooks need no signature.
    private readonly webhookSecret: string | null = null,
  ) {}

  isConfigured(): boolean {
    return true;
  }

  // The local page plays each flow (rehearsal for KkiaPay/MoMo screens): the widget, the customer's
  // phone for a push, or a redirect checkout.
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const signature = this.pageSignature(input.intentId);
    return Promise.resolve({
      gatewayTransactionId: `mock_${input.intentId}`,
      paymentUrl: `${this.publicBaseUrl}/mock/pay/${input.intentId}${signature ? `?signature=${signature}` : ''}`,
      clientSecret: null,
      paymentMode: mockFlow(input),
    });
  }

  // Seed: "the mock gateway's refund always returns status: succeeded".
  refund(input: RefundInput): Promise<RefundResult> {
    return Promise.resolve({ status: 'succeeded', gatewayRefundId: `mock_re_${input.refundId}` });
  }

  // Idempotent like Stripe's: the same refund id is the same refund.
  findRefund(input: RefundInput): Promise<RefundResult> {
    return this.refund(input);
  }

  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): void {
    if (this.webhookSecret === null) return;
    if (!hexDigestsEqual(hmacHex('sha256', this.webhookSecret, rawBody), headers[MOCK_SIGNATURE_HEADER])) {
      throw new WebhookAuthError('bad X-Mock-Signature');
    }
  }

  parseWebhook(rawBody: Buffer): GatewayWebhookEvent[] {
    const body = parseJsonBody(rawBody) as { gatewayTransactionId?: unknown; status?: unknown; eventId?: unknown; amount?: unknown; currency?: unknown } | null;
    const status = body?.status ?? 'succeeded';
    if (typeof body?.gatewayTransactionId !== 'string' || (status !== 'succeeded' && status !== 'failed')) return [];
    // Without an explicit eventId, one outcome per transaction is one event.
    const eventId = typeof body.eventId === 'string' && body.eventId ? body.eventId : `${body.gatewayTransactionId}:${status}`;
    const amount = typeof body.amount === 'number' ? { amount: body.amount } : {};
    const currency = typeof body.currency === 'string' ? { currency: body.currency } : {};
    return [{ eventId, gatewayTransactionId: body.gatewayTransactionId, status, ...amount, ...currency }];
  }

  // With a secret, the payment page and its buttons need this signature (it is in paymentUrl), so
  // on a shared dev server only whoever got the paymentUrl can see or settle the payment.
  pageSignature(intentId: string): string | null {
    return this.webhookSecret === null ? null : hmacHex('sha256', this.webhookSecret, Buffer.from(`page:${intentId}`));
  }

  pageSignatureValid(intentId: string, signature: string | undefined): boolean {
    const expected = this.pageSignature(intentId);
    return expected === null || hexDigestsEqual(expected, signature);
  }

  // The body and headers the mock "gateway" sends, used by the payment page.
  signedWebhook(body: object): { rawBody: Buffer; headers: Record<string, string> } {
    const rawBody = Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.webhookSecret !== null) headers[MOCK_SIGNATURE_HEADER] = hmacHex('sha256', this.webhookSecret, rawBody);
    return { rawBody, headers };
  }
}

// useWidget: the mock widget. A phone and no return URL (how push intents look): the mock phone.
// Anything else: the redirect checkout, as before.
export function mockFlow(input: Pick<CreatePaymentInput, 'useWidget' | 'returnUrl' | 'metadata'>): PaymentMode {
  if (input.useWidget) return 'widget';
  return !input.returnUrl && input.metadata.phoneNumber ? 'push' : 'redirect';
}
