// The API's request and response shapes for product backends, hand-written from
// docs/openapi.json (test/unit/sdk/types.spec.ts keeps each response type's fields equal to the
// schema's `required` list). Response types have no optional fields on purpose: a field the
// service may leave empty is `T | null`, so the check covers every field.

export type Currency = 'XOF' | 'XAF' | 'GNF' | 'GHS' | 'NGN' | 'USD' | 'EUR' | 'CAD' | 'GBP';
export type GatewayId = 'stripe' | 'kkiapay' | 'momo' | 'paystack' | 'tkh' | 'mock';
export type IntentStatus = 'pending' | 'processing' | 'succeeded' | 'failed' | 'cancelled';
export type PaymentMode = 'redirect' | 'push' | 'client_secret' | 'widget';
export type RefundStatus = 'succeeded' | 'pending' | 'failed';
export type DisbursementStatus = 'pending' | 'succeeded' | 'failed';
export type PayoutProvider = 'momo' | 'moov';

export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'PAYMENT_ERROR'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'PAYMENT_GATEWAY_ERROR';

export interface ErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
}

// ---- intents ----

export interface IntentMetadata {
  appId: string;
  referenceId: string;
  businessId?: string;
  customerId?: string;
  customerEmail?: string;
  phoneNumber?: string;
  businessPhone?: string;
  [key: string]: string | undefined;
}

export interface CreateIntentRequest {
  // Smallest currency unit (francs for XOF, cents, kobo…).
  amount: number;
  currency: Currency;
  // ISO 3166-1 alpha-2, upper case.
  country: string;
  metadata: IntentMetadata;
  returnUrl?: string;
  gatewayOverride?: GatewayId;
  // KkiaPay only: paymentMode "widget" (verify with verifyKkiapay afterwards).
  useWidget?: boolean;
}

export interface IntentAttempt {
  gateway: GatewayId;
  outcome: 'started' | 'created' | 'failed' | 'unknown';
  errorKind: string | null;
  at: string;
}

export interface PaymentIntent {
  id: string;
  appId: string;
  referenceId: string;
  amount: number;
  currency: Currency;
  country: string;
  status: IntentStatus;
  gateway: GatewayId;
  paymentUrl: string | null;
  clientSecret: string | null;
  gatewayTransactionId: string | null;
  paymentMode: PaymentMode;
  metadata: Record<string, string>;
  attempts: IntentAttempt[];
  createdAt: string;
  updatedAt: string;
}

export interface LedgerEntry {
  type: 'payment' | 'refund';
  id: string;
  // + for the payment, − for each refund (0 for a failed refund).
  amount: number;
  status: string;
  at: string;
}

export interface IntentPayout {
  id: string;
  amount: number;
  currency: Currency;
  status: DisbursementStatus;
  provider: PayoutProvider | null;
  createdAt: string;
  updatedAt: string;
}

export interface PaymentIntentWithLedger extends PaymentIntent {
  refundedAmount: number;
  balance: number;
  ledger: LedgerEntry[];
  paidOutAmount: number;
  payouts: IntentPayout[];
}

export interface ListIntentsQuery {
  referenceId: string;
  status?: IntentStatus;
  // 1-100, default 20.
  limit?: number;
  // nextCursor of the previous page.
  cursor?: string;
  // Required with the operations key; an app key may only name its own app.
  appId?: string;
}

export interface IntentPage {
  items: PaymentIntent[];
  nextCursor: string | null;
}

export interface VerifyKkiapayRequest {
  transactionId: string;
  intentId: string;
}

export interface VerifyKkiapayResult {
  verified: boolean;
  intent: PaymentIntent;
}

// ---- refunds ----

export interface RefundRequest {
  // Omit for everything left.
  amount?: number;
  reason?: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  intentId: string;
  amount: number;
  currency: Currency;
  status: RefundStatus;
  gateway: GatewayId;
  gatewayRefundId: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

// ---- disbursements ----

export interface CreateDisbursementRequest {
  amount: number;
  currency: Currency;
  country: string;
  phoneNumber: string;
  appId: string;
  referenceId: string;
  businessId?: string;
  // The paid intent this pays out.
  intentId?: string;
}

export interface DisbursementAttempt {
  provider: string;
  outcome: 'started' | 'accepted' | 'failed' | 'unknown';
  errorKind: string | null;
  at: string;
}

export interface Disbursement {
  id: string;
  appId: string;
  referenceId: string;
  businessId: string | null;
  intentId: string | null;
  amount: number;
  currency: Currency;
  country: string;
  phoneNumber: string;
  status: DisbursementStatus;
  provider: PayoutProvider | null;
  providerReference: string | null;
  failureReason: string | null;
  attempts: DisbursementAttempt[];
  createdAt: string;
  updatedAt: string;
}

// ---- gateways ----

export interface GatewayInfo {
  id: GatewayId;
  countries: 'any' | string[];
  currencies: Currency[];
  flows: PaymentMode[];
  refund: 'programmatic' | 'manual';
  disburse: boolean;
}

export interface GatewayList {
  gateways: GatewayInfo[];
}

// ---- events (SNS message body; at-least-once: deduplicate by eventId) ----

export type PaymentEventType =
  | 'payment.completed'
  | 'payment.failed'
  | 'payment.refunded'
  | 'disbursement.completed'
  | 'disbursement.failed';

export const PAYMENT_EVENT_TYPES: readonly PaymentEventType[] = [
  'payment.completed',
  'payment.failed',
  'payment.refunded',
  'disbursement.completed',
  'disbursement.failed',
];

export interface PaymentEventBase {
  type: PaymentEventType;
  // Stable across re-deliveries of one event: the key to deduplicate on (never referenceId).
  eventId: string;
  intentId: string | null;
  paymentId: string | null;
  refundId: string | null;
  disbursementId: string | null;
  appId: string;
  referenceId: string;
  businessId: string | null;
  amount: number;
  currency: string;
  gateway: string;
  timestamp: string;
  refundStatus: RefundStatus | null;
}

export interface PaymentCompletedEvent extends PaymentEventBase {
  type: 'payment.completed';
  intentId: string;
  refundStatus: null;
}

// Failed, cancelled or expired payments.
export interface PaymentFailedEvent extends PaymentEventBase {
  type: 'payment.failed';
  intentId: string;
  refundStatus: null;
}

// One per refund answer: a pending refund publishes again (new eventId) when it settles.
export interface PaymentRefundedEvent extends PaymentEventBase {
  type: 'payment.refunded';
  intentId: string;
  refundId: string;
  // The refund's status when the event was written; null only in events written before the
  // field existed.
  refundStatus: RefundStatus | null;
}

export interface DisbursementCompletedEvent extends PaymentEventBase {
  type: 'disbursement.completed';
  disbursementId: string;
  refundStatus: null;
}

export interface DisbursementFailedEvent extends PaymentEventBase {
  type: 'disbursement.failed';
  disbursementId: string;
  refundStatus: null;
}

export type PaymentEvent =
  | PaymentCompletedEvent
  | PaymentFailedEvent
  | PaymentRefundedEvent
  | DisbursementCompletedEvent
  | DisbursementFailedEvent;

export type PaymentEventOf<T extends PaymentEventType> = Extract<PaymentEvent, { type: T }>;
