import type { GatewayId } from '../domain/gateway-id.js';
import type { IntentStatus, PaymentMode } from '../domain/intent.js';
import type { Currency } from '../domain/money.js';

// The port every gateway implements (see docs/adr and the architecture page).

export interface GatewayCapabilities {
  // 'any' for gateways that accept any country the route sends them.
  countries: readonly string[] | 'any';
  currencies: readonly Currency[];
  flows: readonly PaymentMode[];
  refund: 'programmatic' | 'manual';
  disburse: boolean;
  webhookAuth: 'signature' | 'shared_secret' | 'none';
  // The pipeline re-queries getStatus before acting on a webhook (unsigned or hint-only
  // webhooks, and gateways whose docs say to confirm, e.g. Paystack's charge.success).
  requeryOnWebhook: boolean;
  // Re-sending a create for the same intent returns the first answer instead of a second
  // payment (Stripe's Idempotency-Key): the reconciler may resume a create whose answer was lost.
  createIdempotent: boolean;
}

export interface CreatePaymentInput {
  intentId: string;
  amount: number;
  currency: Currency;
  country: string;
  metadata: Readonly<Record<string, string>>;
  returnUrl: string | null;
  useWidget: boolean;
}

export interface CreatedPayment {
  gatewayTransactionId: string | null;
  paymentUrl: string | null;
  clientSecret: string | null;
  paymentMode: PaymentMode;
}

export type GatewayErrorKind = 'declined' | 'unavailable' | 'timeout' | 'invalid_request' | 'auth';

// Raised by adapters; the core decides on fallback from `kind`, `retryable` and `createdNothing`.
export class GatewayError extends Error {
  constructor(
    // 'moov' is a payout provider only, not a payment gateway.
    readonly gateway: GatewayId | 'moov',
    readonly kind: GatewayErrorKind,
    message: string,
    readonly retryable = false,
    readonly createdNothing = false,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

// What a verified webhook says, in our terms. `eventId` is the gateway's own id (for dedup).
export interface GatewayWebhookEvent {
  eventId: string;
  gatewayTransactionId: string;
  status: IntentStatus;
  amount?: number;
  currency?: string;
  failureReason?: string;
  // The merchant's own reference the gateway echoes back (KkiaPay: our intent id).
  partnerId?: string;
}

// Where a webhook arrived: `reference` is the extra path segment of /webhooks/:gateway/:reference
// (MoMo's callback carries our reference id there, since its body is unsigned).
export interface WebhookContext {
  reference: string | null;
}

// The gateway's current view of a payment, mapped onto our statuses.
export interface GatewayPaymentStatus {
  status: IntentStatus;
  amount?: number;
  currency?: string;
  // The gateway's own status word, for logs and docs.
  gatewayStatus: string;
  failureReason?: string;
  // The merchant's own reference the gateway echoes back (KkiaPay: our intent id).
  partnerId?: string;
  // The gateway has no payment under this reference (status stays 'pending'): only the
  // reconciler, once no create can still be in flight, reads it as "never created".
  notFound?: boolean;
}

export interface RefundInput {
  refundId: string;
  intentId: string;
  gatewayTransactionId: string;
  amount: number;
  currency: Currency;
  reason: string | null;
}

export interface RefundResult {
  status: 'succeeded' | 'pending' | 'failed';
  gatewayRefundId: string | null;
}

// What a verified refund webhook says. `gatewayRefundId` is the gateway's refund id (Stripe re_…,
// Paystack's numeric id); `gatewayTransactionId` the payment it refunds, when the payload names it
// (a fallback when the refund id is not on record yet). 'pending' changes nothing.
export interface RefundWebhookEvent {
  eventId: string;
  gatewayRefundId: string | null;
  gatewayTransactionId: string | null;
  status: RefundResult['status'];
}

export interface DisburseInput {
  disbursementId: string;
  amount: number;
  currency: Currency;
  // E.164, e.g. +2290197222222
  phoneNumber: string;
  note: string;
}

export interface DisbursementStatus {
  status: 'pending' | 'succeeded' | 'failed';
  providerReference: string;
  failureReason?: string;
  // The provider has no transfer with this reference (it never arrived): 'failed' once no
  // request carrying it can still be in flight.
  notFound?: boolean;
}

// Thrown by verifyWebhook: the request is not provably from the gateway.
export class WebhookAuthError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebhookAuthError';
  }
}

export interface PaymentGateway {
  readonly id: GatewayId;
  readonly capabilities: GatewayCapabilities;
  isConfigured(): boolean;
  // Checks the input before anything is recorded, so bad input is a 400 and not a failed attempt.
  validatePayment?(input: CreatePaymentInput): void;
  // The transaction id this payment will have when WE choose it (MoMo X-Reference-Id, Paystack
  // reference): stored with the attempt before the call, so a lost answer can still be followed.
  transactionReference?(intentId: string): string;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  // Both work on the exact raw bytes received; verify runs before anything is read.
  verifyWebhook?(rawBody: Buffer, headers: WebhookHeaders): void;
  // Unknown event types give [].
  parseWebhook?(rawBody: Buffer, context: WebhookContext): GatewayWebhookEvent[];
  getStatus?(gatewayTransactionId: string): Promise<GatewayPaymentStatus>;
  refund?(input: RefundInput): Promise<RefundResult>;
  // What became of the refund with our refund id (sent as idempotency key or note); null when the
  // gateway has no such refund. Lets the reconciler settle a refund whose answer was lost.
  findRefund?(input: RefundInput): Promise<RefundResult | null>;
  // Refund events of a verified webhook body (payment events stay with parseWebhook); unknown types give [].
  parseRefundWebhook?(rawBody: Buffer): RefundWebhookEvent[];
  // The gateway's current status of a refund it answered for, by its own refund id: how a
  // pending refund settles when its webhook is a hint (Paystack) or was lost.
  getRefundStatus?(gatewayRefundId: string): Promise<RefundResult>;
  // Pays out to a mobile-money wallet; the result arrives later (getDisbursementStatus).
  // Payouts may need their own credentials (MoMo's Disbursement product): canDisburse says so.
  canDisburse?(): boolean;
  disburse?(input: DisburseInput): Promise<DisbursementStatus>;
  getDisbursementStatus?(providerReference: string): Promise<DisbursementStatus>;
}

export function supportsCurrency(gateway: PaymentGateway, currency: Currency): boolean {
  return gateway.capabilities.currencies.includes(currency);
}
