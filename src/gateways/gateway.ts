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
    readonly gateway: GatewayId,
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
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  // Both work on the exact raw bytes received; verify runs before anything is read.
  verifyWebhook?(rawBody: Buffer, headers: WebhookHeaders): void;
  // Unknown event types give [].
  parseWebhook?(rawBody: Buffer): GatewayWebhookEvent[];
}

export function supportsCurrency(gateway: PaymentGateway, currency: Currency): boolean {
  return gateway.capabilities.currencies.includes(currency);
}
