import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import {
  GatewayError,
  WebhookAuthError,
  type CreatedPayment,
  type CreatePaymentInput,
  type GatewayPaymentStatus,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type RefundInput,
  type RefundResult,
  type RefundWebhookEvent,
  type WebhookHeaders,
} from '../gateway.js';
import { GATEWAY_CALLS, gatewayFetch, httpError, unreadableError, type CallKind, type GatewayRequest, type GatewayResponse } from '../http/gateway-http.js';
import { hexDigestsEqual, hmacHex, parseJsonBody } from '../webhook-signature.js';
import { mapRefundStatus, mapTransactionStatus } from './paystack-status.js';

export const PAYSTACK_SIGNATURE_HEADER = 'x-paystack-signature';
export const PAYSTACK_DEFAULT_BASE_URL = 'https://api.paystack.co';

export interface PaystackSettings {
  secretKey: string | null;
  // Default https://api.paystack.co (test and live share it; the key decides).
  baseUrl: string;
  // Per request; default 10 s. Past it the outcome is unknown (ADR 0010).
  timeoutMs?: number;
}

// Paystack's envelope: { status: true, message, data } on success.
interface Envelope<T> {
  status?: unknown;
  data?: T | null;
}

// Paystack's redirect checkout over plain fetch (its npm SDK ships without its build output).
// Webhooks are signed but carry no timestamp; the pipeline re-verifies every charge.success
// with GET /transaction/verify (capabilities.requeryOnWebhook), as Paystack's docs advise.
export class PaystackGateway implements PaymentGateway {
  readonly id = 'paystack' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.paystack;

  constructor(
    private readonly settings: PaystackSettings,
    // Paystack signs no timestamp, so there is nothing to check the clock against (yet).
    private readonly clock: Clock,
  ) {}

  // One secret key does both: API calls and the webhook signature.
  isConfigured(): boolean {
    return Boolean(this.settings.secretKey);
  }

  validatePayment(input: CreatePaymentInput): void {
    const missing = [input.metadata.customerEmail ? null : 'metadata.customerEmail', input.returnUrl ? null : 'returnUrl'].filter((field) => field !== null);
    if (missing.length > 0) {
      throw new DomainError('VALIDATION_ERROR', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required for Paystack`);
    }
  }

  // Our intent id is the transaction reference: known before the call, so verify can follow a
  // create whose answer was lost.
  transactionReference(intentId: string): string {
    return intentId;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    this.validatePayment(input);
    const email = input.metadata.customerEmail;
    const response = await this.fetch({
      method: 'POST',
      url: `${this.baseUrl()}/transaction/initialize`,
      headers: this.auth(),
      body: {
        email,
        amount: input.amount,
        currency: input.currency,
        // Our intent id: Paystack refuses a second transaction with the same reference.
        reference: this.transactionReference(input.intentId),
        callback_url: input.returnUrl,
        metadata: { intentId: input.intentId, appId: input.metadata.appId, referenceId: input.metadata.referenceId },
      },
    });
    const data = this.data<{ authorization_url?: unknown; reference?: unknown }>(response, 'initialize transaction', CALLS.create);
    if (typeof data.authorization_url !== 'string' || typeof data.reference !== 'string') throw unexpected('initialize transaction', CALLS.create);
    return { gatewayTransactionId: data.reference, paymentUrl: data.authorization_url, clientSecret: null, paymentMode: 'redirect' };
  }

  async getStatus(gatewayTransactionId: string): Promise<GatewayPaymentStatus> {
    const response = await this.fetch({
      method: 'GET',
      url: `${this.baseUrl()}/transaction/verify/${encodeURIComponent(gatewayTransactionId)}`,
      headers: this.auth(),
    });
    const data = this.data<{ status?: unknown; amount?: unknown; requested_amount?: unknown; currency?: unknown }>(response, 'verify transaction');
    if (typeof data.status !== 'string') throw unexpected('verify transaction');
    const amount = paidAmount(data);
    return {
      status: mapTransactionStatus(data.status),
      gatewayStatus: data.status,
      ...(amount !== null ? { amount } : {}),
      ...(typeof data.currency === 'string' ? { currency: data.currency.toUpperCase() } : {}),
    };
  }

  // Paystack takes no idempotency key for refunds: a re-send could refund twice. So a refund is
  // sent once, carrying our refund id as merchant_note, and an unknown outcome is settled by
  // findRefund, never by sending it again.
  async refund(input: RefundInput): Promise<RefundResult> {
    const response = await this.fetch({
      method: 'POST',
      url: `${this.baseUrl()}/refund`,
      headers: this.auth(),
      body: { transaction: input.gatewayTransactionId, amount: input.amount, merchant_note: input.refundId },
    });
    const data = this.data<{ id?: unknown; status?: unknown }>(response, 'create refund', CALLS.refund);
    // Accepted but unreadable: it may exist, so it is not a refusal.
    if (typeof data.status !== 'string') throw unexpected('create refund', CALLS.refund);
    return { status: mapRefundStatus(data.status), gatewayRefundId: refundIdOf(data.id) };
  }

  // List Refunds filters by the numeric transaction id (from verify), not the reference; our
  // refund is the one whose merchant_note is our refund id. null — Paystack has no such refund —
  // only after every page was read, since it gives the amount back.
  async findRefund(input: RefundInput): Promise<RefundResult | null> {
    const perPage = 100;
    const maxPages = 20;
    const verify = await this.fetch({
      method: 'GET',
      url: `${this.baseUrl()}/transaction/verify/${encodeURIComponent(input.gatewayTransactionId)}`,
      headers: this.auth(),
    });
    const transactionId = refundIdOf(this.data<{ id?: unknown }>(verify, 'verify transaction').id);
    if (transactionId === null) throw unexpected('verify transaction');
    for (let page = 1; page <= maxPages; page++) {
      const response = await this.fetch({
        method: 'GET',
        url: `${this.baseUrl()}/refund?transaction=${encodeURIComponent(transactionId)}&perPage=${perPage}&page=${page}`,
        headers: this.auth(),
      });
      if (response.status < 200 || response.status > 299) throw httpError('paystack', response.status, 'list refunds', CALLS.status);
      const body = response.body as { status?: unknown; data?: unknown; meta?: { pageCount?: unknown } } | null;
      if (body?.status !== true || !Array.isArray(body.data)) throw unexpected('list refunds');
      const ours = (body.data as Array<{ id?: unknown; status?: unknown; merchant_note?: unknown }>).find((refund) => refund.merchant_note === input.refundId);
      if (ours) {
        if (typeof ours.status !== 'string') throw unexpected('list refunds');
        return { status: mapRefundStatus(ours.status), gatewayRefundId: refundIdOf(ours.id) };
      }
      const pageCount = body.meta?.pageCount;
      // A full page without a page count could have a next one: not a certain "absent".
      if (typeof pageCount !== 'number') {
        if (body.data.length < perPage) return null;
        throw unexpected('list refunds');
      }
      if (page >= pageCount) return null;
    }
    throw unexpected('list refunds (too many pages)');
  }

  // GET /refund/:id (Fetch Refund): the refund's status now. Refund webhooks are only hints
  // (requeryOnWebhook): this answer is what settles a refund.
  async getRefundStatus(gatewayRefundId: string): Promise<RefundResult> {
    const response = await this.fetch({ method: 'GET', url: `${this.baseUrl()}/refund/${encodeURIComponent(gatewayRefundId)}`, headers: this.auth() });
    const data = this.data<{ id?: unknown; status?: unknown }>(response, 'fetch refund');
    if (typeof data.status !== 'string') throw unexpected('fetch refund');
    return { status: mapRefundStatus(data.status), gatewayRefundId: refundIdOf(data.id) ?? gatewayRefundId };
  }

  // refund.pending / processing / processed / failed / needs-attention. Assumed payload (docs/
  // gateways/paystack.md): data.id is the refund id, data.transaction_reference our reference,
  // data.status the refund status; the event word decides when data.status is absent.
  parseRefundWebhook(rawBody: Buffer): RefundWebhookEvent[] {
    const body = parseJsonBody(rawBody) as { event?: unknown; data?: { id?: unknown; status?: unknown; transaction_reference?: unknown } } | null;
    const word = typeof body?.event === 'string' && body.event.startsWith('refund.') ? body.event.slice('refund.'.length) : null;
    const data = body?.data;
    if (word === null || !PAYSTACK_REFUND_EVENT_WORDS.has(word) || !data) return [];
    const gatewayRefundId = refundIdOf(data.id);
    const gatewayTransactionId = typeof data.transaction_reference === 'string' && data.transaction_reference !== '' ? data.transaction_reference : null;
    if (gatewayRefundId === null && gatewayTransactionId === null) return [];
    const status = mapRefundStatus(typeof data.status === 'string' ? data.status : word);
    return [{ eventId: `refund.${word}:${gatewayRefundId ?? gatewayTransactionId}`, gatewayRefundId, gatewayTransactionId, status }];
  }

  // x-paystack-signature = hex HMAC-SHA512 of the raw body, keyed with the secret key.
  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): void {
    const secret = this.settings.secretKey;
    if (!secret) throw new WebhookAuthError('PAYSTACK_SECRET_KEY is not configured');
    if (!hexDigestsEqual(hmacHex('sha512', secret, rawBody), headers[PAYSTACK_SIGNATURE_HEADER])) {
      throw new WebhookAuthError('bad x-paystack-signature');
    }
  }

  // Only charge.success matters for payments; the status itself is re-queried before use.
  parseWebhook(rawBody: Buffer): GatewayWebhookEvent[] {
    const body = parseJsonBody(rawBody) as { event?: unknown; data?: { id?: unknown; reference?: unknown } } | null;
    const data = body?.data;
    if (body?.event !== 'charge.success' || typeof data?.reference !== 'string' || data.reference === '') return [];
    // No event id in Paystack's payload: the transaction id (or reference) makes one per charge.
    const id = typeof data.id === 'number' || typeof data.id === 'string' ? String(data.id) : data.reference;
    return [{ eventId: `charge.success:${id}`, gatewayTransactionId: data.reference, status: 'succeeded' }];
  }

  // Accepts 2xx with { status: true, data: {...} }; everything else is classified.
  private data<T>(response: GatewayResponse, what: string, call: CallKind = CALLS.status): T {
    if (response.status < 200 || response.status > 299) throw httpError('paystack', response.status, what, call);
    const body = response.body as Envelope<T> | null;
    if (body?.status !== true || typeof body.data !== 'object' || body.data === null) throw unexpected(what, call);
    return body.data;
  }

  private fetch(request: GatewayRequest): Promise<GatewayResponse> {
    return gatewayFetch('paystack', this.settings.timeoutMs === undefined ? request : { ...request, timeoutMs: this.settings.timeoutMs });
  }

  private baseUrl(): string {
    return (this.settings.baseUrl || PAYSTACK_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  private auth(): Record<string, string> {
    if (!this.settings.secretKey) throw new GatewayError('paystack', 'auth', 'paystack is not configured', false, true);
    return { authorization: `Bearer ${this.settings.secretKey}` };
  }
}

const CALLS = GATEWAY_CALLS.paystack;

// A 2xx we cannot read: it may have taken effect, so never a fallback (a query may be re-asked).
const unexpected = (what: string, call: CallKind = CALLS.status): GatewayError => unreadableError('paystack', call, what);

// What the customer paid for: `requested_amount` (VerifyResponse in PaystackOSS/openapi), since
// `amount` also holds Paystack's fee when the merchant makes customers bear it. Without it, `amount`;
// and a charge below what was asked stays `amount`, so it still shows as a mismatch.
function paidAmount(data: { amount?: unknown; requested_amount?: unknown }): number | null {
  const charged = typeof data.amount === 'number' ? data.amount : null;
  const requested = typeof data.requested_amount === 'number' && Number.isSafeInteger(data.requested_amount) && data.requested_amount > 0 ? data.requested_amount : null;
  if (requested === null) return charged;
  return charged !== null && charged < requested ? charged : requested;
}

const PAYSTACK_REFUND_EVENT_WORDS = new Set(['pending', 'processing', 'processed', 'failed', 'needs-attention']);

const refundIdOf = (id: unknown): string | null => (typeof id === 'number' || typeof id === 'string' ? String(id) : null);
