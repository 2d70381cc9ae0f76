import type { GatewayId } from '../domain/gateway-id.js';
import type { PaymentMode } from '../domain/intent.js';
import type { Currency } from '../domain/money.js';

// The port every gateway implements. Webhook verification/parsing and status queries join it
// as the lifecycle and adapter work lands; routing only needs what is here.

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

export interface PaymentGateway {
  readonly id: GatewayId;
  readonly capabilities: GatewayCapabilities;
  isConfigured(): boolean;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
}

export function supportsCurrency(gateway: PaymentGateway, currency: Currency): boolean {
  return gateway.capabilities.currencies.includes(currency);
}
