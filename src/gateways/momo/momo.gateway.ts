import type { Clock, IdGenerator } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import type { IntentStatus } from '../../domain/intent.js';
import { CURRENCY_EXPONENT, isCurrency, toMajorUnitString } from '../../domain/money.js';
import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import type {
  CreatedPayment,
  CreatePaymentInput,
  DisbursementStatus,
  DisburseInput,
  GatewayPaymentStatus,
  GatewayWebhookEvent,
  PaymentGateway,
  RefundResult,
  WebhookContext,
} from '../gateway.js';
import { gatewayFetch, httpError } from '../http/gateway-http.js';
import { parseJsonBody } from '../webhook-signature.js';
import { MomoTokenCache, type MomoProductCredentials } from './momo-token.js';

// requesttopay and transfer share one status vocabulary (reference/gateways.md).
export const MOMO_STATUS: Record<string, IntentStatus> = {
  PENDING: 'pending',
  SUCCESSFUL: 'succeeded',
  FAILED: 'failed',
};

export interface MomoSettings {
  baseUrl: string;
  targetEnvironment: string;
  // PUBLIC_BASE_URL: the callback goes to <callbackBaseUrl>/webhooks/momo/<referenceId>.
  callbackBaseUrl: string;
  collection: MomoProductCredentials;
  disbursement: MomoProductCredentials;
}

// MTN MoMo Open API: Collection (requesttopay) for payments, Disbursement (transfer) for payouts.
// Callbacks are unsigned and never retried: they only trigger a status re-query.
export class MomoGateway implements PaymentGateway {
  readonly id = 'momo' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.momo;
  private readonly collectionToken: MomoTokenCache;
  private readonly disbursementToken: MomoTokenCache;

  constructor(
    private readonly settings: MomoSettings,
    clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    const base = settings.baseUrl.replace(/\/+$/, '');
    this.collectionToken = new MomoTokenCache(base, 'collection', settings.collection, clock);
    this.disbursementToken = new MomoTokenCache(base, 'disbursement', settings.disbursement, clock);
  }

  isConfigured(): boolean {
    return complete(this.settings.collection);
  }

  canDisburse(): boolean {
    return complete(this.settings.disbursement);
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const phone = input.metadata.phoneNumber;
    if (!phone) throw new DomainError('VALIDATION_ERROR', 'metadata.phoneNumber is required for MTN MoMo');
    // Our reference id IS the MoMo transaction id: known before the call, so never lost.
    const referenceId = this.ids.newId();
    const response = await gatewayFetch('momo', {
      method: 'POST',
      url: `${this.base()}/collection/v1_0/requesttopay`,
      headers: {
        ...(await this.productHeaders('collection')),
        'x-reference-id': referenceId,
        'x-callback-url': `${this.settings.callbackBaseUrl}/webhooks/momo/${referenceId}`,
      },
      body: {
        amount: toMajorUnitString(input.amount, input.currency),
        currency: input.currency,
        externalId: input.intentId,
        payer: { partyIdType: 'MSISDN', partyId: msisdn(phone) },
        payerMessage: `${input.metadata.appId} ${input.metadata.referenceId}`.slice(0, 160),
        payeeNote: input.intentId,
      },
    });
    if (response.status !== 202) throw httpError('momo', response.status, 'requesttopay');
    return { gatewayTransactionId: referenceId, paymentUrl: null, clientSecret: null, paymentMode: 'push' };
  }

  async getStatus(referenceId: string): Promise<GatewayPaymentStatus> {
    const body = await this.statusOf('collection', `/collection/v1_0/requesttopay/${encodeURIComponent(referenceId)}`);
    return {
      status: MOMO_STATUS[body.gatewayStatus] ?? 'pending',
      gatewayStatus: body.gatewayStatus,
      ...(body.amount !== undefined ? { amount: body.amount, currency: body.currency } : {}),
      ...(body.reason ? { failureReason: body.reason } : {}),
    };
  }

  // Seed 001: MoMo refunds are manual (dashboard).
  refund(): Promise<RefundResult> {
    return Promise.resolve({ status: 'pending', gatewayRefundId: null });
  }

  // Unsigned by design (webhookAuth 'none'): nothing to verify; the pipeline re-queries instead.
  verifyWebhook(): void {}

  // The reference id comes from the callback path we gave MoMo, not from the (unsigned) body.
  parseWebhook(rawBody: Buffer, context: WebhookContext): GatewayWebhookEvent[] {
    if (!context.reference) return [];
    const hint = (parseJsonBody(rawBody) as { status?: unknown } | null)?.status;
    const word = typeof hint === 'string' ? hint : 'UNKNOWN';
    return [{ eventId: `callback:${context.reference}:${word}`, gatewayTransactionId: context.reference, status: MOMO_STATUS[word] ?? 'pending' }];
  }

  async disburse(input: DisburseInput): Promise<DisbursementStatus> {
    if (!complete(this.settings.disbursement)) throw new DomainError('PAYMENT_GATEWAY_ERROR', 'MTN MoMo disbursement is not configured');
    const referenceId = this.ids.newId();
    const response = await gatewayFetch('momo', {
      method: 'POST',
      url: `${this.base()}/disbursement/v1_0/transfer`,
      headers: {
        ...(await this.productHeaders('disbursement')),
        'x-reference-id': referenceId,
        'x-callback-url': `${this.settings.callbackBaseUrl}/webhooks/momo/disbursements/${input.disbursementId}`,
      },
      body: {
        amount: toMajorUnitString(input.amount, input.currency),
        currency: input.currency,
        externalId: input.disbursementId,
        payee: { partyIdType: 'MSISDN', partyId: msisdn(input.phoneNumber) },
        payerMessage: input.note,
        payeeNote: input.disbursementId,
      },
    });
    if (response.status !== 202) throw httpError('momo', response.status, 'transfer');
    return { status: 'pending', providerReference: referenceId };
  }

  async getDisbursementStatus(referenceId: string): Promise<DisbursementStatus> {
    const body = await this.statusOf('disbursement', `/disbursement/v1_0/transfer/${encodeURIComponent(referenceId)}`);
    const status = MOMO_STATUS[body.gatewayStatus] ?? 'pending';
    return {
      status: status === 'succeeded' || status === 'failed' ? status : 'pending',
      providerReference: referenceId,
      ...(body.reason ? { failureReason: body.reason } : {}),
    };
  }

  private async statusOf(product: 'collection' | 'disbursement', path: string) {
    const response = await gatewayFetch('momo', { method: 'GET', url: `${this.base()}${path}`, headers: await this.productHeaders(product) });
    if (response.status !== 200) throw httpError('momo', response.status, `${product} status`);
    const body = response.body as { status?: unknown; amount?: unknown; currency?: unknown; reason?: unknown } | null;
    const currency = typeof body?.currency === 'string' ? body.currency : undefined;
    return {
      gatewayStatus: typeof body?.status === 'string' ? body.status : 'UNKNOWN',
      amount: typeof body?.amount === 'string' && currency ? toMinorUnits(body.amount, currency) : undefined,
      currency,
      reason: typeof body?.reason === 'string' ? body.reason : undefined,
    };
  }

  private async productHeaders(product: 'collection' | 'disbursement'): Promise<Record<string, string>> {
    const token = await (product === 'collection' ? this.collectionToken : this.disbursementToken).token();
    return {
      authorization: `Bearer ${token}`,
      'x-target-environment': this.settings.targetEnvironment,
      'ocp-apim-subscription-key': this.settings[product].subscriptionKey ?? '',
    };
  }

  private base(): string {
    return this.settings.baseUrl.replace(/\/+$/, '');
  }
}

const complete = (c: MomoProductCredentials) => Boolean(c.subscriptionKey && c.apiUser && c.apiKey);
// MSISDN: the E.164 number without "+".
const msisdn = (e164: string) => e164.replace(/^\+/, '');

// "10.50" EUR → 1050; "500000" XOF → 500000. Unknown currencies are read as whole units.
function toMinorUnits(major: string, currency: string): number {
  const exponent = isCurrency(currency) ? CURRENCY_EXPONENT[currency] : 0;
  return Math.round(Number(major) * 10 ** exponent);
}
