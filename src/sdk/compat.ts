import { PaymentsApiError } from './errors.js';
import { PaymentsClient, type PaymentsClientOptions } from './payments-client.js';
import type {
  CreateIntentRequest,
  ErrorCode,
  PaymentIntent,
  PaymentIntentWithLedger,
  PaymentMode,
  Refund,
} from './types.js';

// Seed 001's results, so an integration that copied the contract's PaymentsClient switches by
// changing an import. Extra fields (paymentMode, intent, statusCode, errorCode) only add.
interface Failure {
  success: false;
  error: string;
  // Absent when the service never answered (network error, timeout).
  statusCode?: number;
  errorCode?: ErrorCode;
}

export type CreateIntentResult =
  | { success: true; intentId: string; paymentUrl?: string; clientSecret?: string; paymentMode: PaymentMode; intent: PaymentIntent; error?: undefined }
  | Failure;
export type GetIntentResult = { success: true; intent: PaymentIntentWithLedger; error?: undefined } | Failure;
export type RefundResult = { success: true; refund: Refund; error?: undefined } | Failure;
export type VerifyKkiapayCompatResult = { success: true; verified: boolean; intent: PaymentIntent; error?: undefined } | Failure;

type Env = Record<string, string | undefined>;
const processEnv = (): Env => (globalThis as { process?: { env: Env } }).process?.env ?? {};

// Like the contract's client, it reads PAYMENTS_SERVICE_URL and TKH_PAYMENTS_API_KEY when no
// options are given (a zero-argument constructor also lets Nest instantiate it as a provider).
// Unlike it, calls are retried with one Idempotency-Key, and errors keep the service's message.
export class CompatPaymentsClient {
  readonly client: PaymentsClient;

  constructor(options: Partial<PaymentsClientOptions> = {}) {
    const env = processEnv();
    const baseUrl = options.baseUrl ?? env.PAYMENTS_SERVICE_URL ?? '';
    if (!baseUrl) throw new Error('PAYMENTS_SERVICE_URL is not configured');
    this.client = new PaymentsClient({ ...options, baseUrl, apiKey: options.apiKey ?? env.TKH_PAYMENTS_API_KEY ?? '' });
  }

  async createIntent(request: CreateIntentRequest, idempotencyKey?: string): Promise<CreateIntentResult> {
    return settle(async () => {
      const intent = await this.client.createIntent(request, { idempotencyKey });
      return {
        success: true as const,
        intentId: intent.id,
        paymentUrl: intent.paymentUrl ?? undefined,
        clientSecret: intent.clientSecret ?? undefined,
        paymentMode: intent.paymentMode,
        intent,
      };
    });
  }

  async getIntent(intentId: string): Promise<GetIntentResult> {
    return settle(async () => ({ success: true as const, intent: await this.client.getIntent(intentId) }));
  }

  async refund(intentId: string, amount?: number, reason?: string, idempotencyKey?: string): Promise<RefundResult> {
    return settle(async () => ({ success: true as const, refund: await this.client.refund(intentId, { amount, reason }, { idempotencyKey }) }));
  }

  async verifyKkiapay(transactionId: string, intentId: string): Promise<VerifyKkiapayCompatResult> {
    return settle(async () => {
      const { verified, intent } = await this.client.verifyKkiapay({ transactionId, intentId });
      return { success: true as const, verified, intent };
    });
  }
}

// The contract never throws for a failed call: { success: false, error: <message> }.
async function settle<T>(call: () => Promise<T>): Promise<T | Failure> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PaymentsApiError) {
      return { success: false, error: error.message, statusCode: error.statusCode, errorCode: error.error };
    }
    return { success: false, error: error instanceof Error ? error.message : String(error) };
  }
}
