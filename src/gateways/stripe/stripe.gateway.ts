import type Stripe from 'stripe';
import type { Clock } from '../../domain/clock.js';
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
import { assertFreshTimestamp, hexDigestsEqual, hmacHex, parseJsonBody } from '../webhook-signature.js';
import type { StripeSdk } from './stripe-client.js';
import type { StripeCallContext } from './stripe-errors.js';
import { mapPaymentIntentStatus, mapRefundStatus, STRIPE_EVENT_STATUS } from './stripe-status.js';
import { parseStripeRefundEvents } from './stripe-refund-events.js';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
export const STRIPE_TOLERANCE_SECONDS = 300;
// Same budget as gatewayFetch; the SDK's default (80 s) outlives an API Gateway request.
const STRIPE_TIMEOUT_MS = 10_000;

export interface StripeSettings {
  secretKey: string | null;
  webhookSecret: string | null;
  // e.g. http://127.0.0.1:1234 in tests; null = Stripe's real host.
  apiBaseUrl: string | null;
  // Per request; default 10 s. Past it the outcome is unknown (ADR 0010).
  timeoutMs?: number;
}

// Stripe through the official SDK: a PaymentIntent per intent, confirmed by the product's
// frontend with the client secret (Stripe Elements); the outcome arrives by signed webhook.
export class StripeGateway implements PaymentGateway {
  readonly id = 'stripe' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.stripe;
  // The SDK is read on the first call, not at start (ADR 0020).
  private sdk: Promise<StripeSdk> | null = null;

  constructor(
    private readonly settings: StripeSettings,
    private readonly clock: Clock,
    // Tests shorten it to prove a hanging Stripe ends as an unknown outcome, not a hang.
    private readonly timeoutMs = STRIPE_TIMEOUT_MS,
  ) {}

  // Both keys are needed: without the webhook secret no payment could ever be confirmed.
  isConfigured(): boolean {
    return Boolean(this.settings.secretKey && this.settings.webhookSecret);
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const paymentIntent = await this.call({ what: 'create payment intent' }, (stripe) =>
      stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          automatic_payment_methods: { enabled: true },
          metadata: definedOnly({ intentId: input.intentId, appId: input.metadata.appId, referenceId: input.metadata.referenceId }),
        },
        // One PaymentIntent per intent, however often the create is retried.
        { idempotencyKey: stripeIdempotencyKey(input.intentId) },
      ),
    );
    if (!paymentIntent.client_secret) {
      throw new GatewayError('stripe', 'unavailable', 'create payment intent: no client_secret in the answer', false, false);
    }
    return { gatewayTransactionId: paymentIntent.id, paymentUrl: null, clientSecret: paymentIntent.client_secret, paymentMode: 'client_secret' };
  }

  async getStatus(gatewayTransactionId: string): Promise<GatewayPaymentStatus> {
    const paymentIntent = await this.call({ what: 'retrieve payment intent' }, (stripe) =>
      stripe.paymentIntents.retrieve(gatewayTransactionId),
    );
    const status = mapPaymentIntentStatus(paymentIntent.status);
    const failureCode = paymentIntent.last_payment_error?.code;
    return {
      status,
      gatewayStatus: paymentIntent.status,
      // What was actually collected once it succeeded; the requested amount before that.
      amount: status === 'succeeded' ? paymentIntent.amount_received : paymentIntent.amount,
      currency: paymentIntent.currency.toUpperCase(),
      ...(status !== 'succeeded' && typeof failureCode === 'string' ? { failureReason: failureCode } : {}),
    };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const refund = await this.call({ what: 'create refund' }, (stripe) =>
      stripe.refunds.create(
        { payment_intent: input.gatewayTransactionId, amount: input.amount, reason: 'requested_by_customer' },
        { idempotencyKey: input.refundId },
      ),
    );
    return { status: mapRefundStatus(refund.status), gatewayRefundId: refund.id };
  }

  // Re-sending the same request with the same Idempotency-Key (our refund id) returns Stripe's
  // saved answer for it, or makes the refund if the first request never arrived. Stripe keeps
  // keys for 24 h, so the reconciler stops asking after that (REFUND_RESEND_WINDOW_MS). A refusal
  // (saved and replayed, or given now) means there is no refund: null. Auth, rate limits and
  // unknown outcomes say nothing about it and are thrown.
  async findRefund(input: RefundInput): Promise<RefundResult | null> {
    try {
      return await this.refund(input);
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'invalid_request') return null;
      throw error;
    }
  }

  // GET /v1/refunds/:id: the refund as Stripe has it now.
  async getRefundStatus(gatewayRefundId: string): Promise<RefundResult> {
    const refund = await this.call({ what: 'retrieve refund' }, (stripe) => stripe.refunds.retrieve(gatewayRefundId));
    return { status: mapRefundStatus(refund.status), gatewayRefundId: refund.id };
  }

  // refund.updated, refund.failed and charge.refunded (signed: the body's status is Stripe's).
  parseRefundWebhook(rawBody: Buffer): RefundWebhookEvent[] {
    return parseStripeRefundEvents(parseJsonBody(rawBody));
  }

  // Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">[,v1=…], checked here as the SDK
  // checks it (the body decoded as UTF-8, any v1 may match, constant-time), without loading it;
  // the window is checked on both sides, against our clock.
  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): void {
    const secret = this.settings.webhookSecret;
    if (!secret) throw new WebhookAuthError('STRIPE_WEBHOOK_SECRET is not configured');
    const header = headers[STRIPE_SIGNATURE_HEADER];
    if (!header) throw new WebhookAuthError('missing Stripe-Signature');
    const nowMs = this.clock.now().getTime();
    const timestamp = signedTimestamp(header);
    assertFreshTimestamp(timestamp, nowMs, STRIPE_TOLERANCE_SECONDS);
    const expected = hmacHex('sha256', secret, `${timestamp}.${rawBody.toString('utf8')}`);
    const signatures = header.split(',').filter((part) => part.startsWith('v1=')).map((part) => part.slice(3));
    if (!signatures.some((signature) => hexDigestsEqual(expected, signature))) throw new WebhookAuthError('bad Stripe-Signature');
  }

  // A pure mapping of the (already verified) event body.
  parseWebhook(rawBody: Buffer): GatewayWebhookEvent[] {
    const event = parseJsonBody(rawBody) as { id?: unknown; type?: unknown; data?: { object?: PaymentIntentPayload } } | null;
    const status = typeof event?.type === 'string' ? STRIPE_EVENT_STATUS[event.type] : undefined;
    const paymentIntent = event?.data?.object;
    if (!status || typeof event?.id !== 'string' || typeof paymentIntent?.id !== 'string') return [];
    const currency = typeof paymentIntent.currency === 'string' ? { currency: paymentIntent.currency.toUpperCase() } : {};
    if (status === 'succeeded') {
      return [
        {
          eventId: event.id,
          gatewayTransactionId: paymentIntent.id,
          status,
          ...(typeof paymentIntent.amount_received === 'number' ? { amount: paymentIntent.amount_received } : {}),
          ...currency,
        },
      ];
    }
    const failureCode = paymentIntent.last_payment_error?.code;
    return [
      {
        eventId: event.id,
        gatewayTransactionId: paymentIntent.id,
        status,
        ...(typeof failureCode === 'string' ? { failureReason: failureCode } : {}),
      },
    ];
  }

  private async call<T>(context: StripeCallContext, request: (stripe: Stripe) => Promise<T>): Promise<T> {
    const sdk = await this.loadSdk();
    try {
      return await request(sdk.client);
    } catch (error) {
      throw sdk.classify(error, context);
    }
  }

  private loadSdk(): Promise<StripeSdk> {
    const { secretKey, apiBaseUrl } = this.settings;
    if (!secretKey) return Promise.reject(new GatewayError('stripe', 'auth', 'stripe is not configured', false, true));
    this.sdk ??= import('./stripe-client.js').then(
      ({ stripeSdk }) => stripeSdk(secretKey, apiBaseUrl, this.settings.timeoutMs ?? this.timeoutMs),
      (error: unknown) => {
        this.sdk = null; // a failed load is tried again by the next call
        throw error;
      },
    );
    return this.sdk;
  }
}

// The fields of a PaymentIntent we read from an event body.
interface PaymentIntentPayload {
  id?: unknown;
  amount_received?: unknown;
  currency?: unknown;
  last_payment_error?: { code?: unknown } | null;
}

export const stripeIdempotencyKey = (intentId: string): string => `payment-intent-${intentId}`;

// The t= of the header; more than one is ambiguous and refused.
function signedTimestamp(header: string): string | undefined {
  const timestamps = header
    .split(',')
    .filter((part) => part.startsWith('t='));
  return timestamps.length === 1 ? timestamps[0]?.slice(2) : undefined;
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
