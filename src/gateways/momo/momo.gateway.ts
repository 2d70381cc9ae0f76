import type { Clock, IdGenerator } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { isCurrency, toMajorUnitString } from '../../domain/money.js';
import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import {
  GatewayError,
  type CreatedPayment,
  type CreatePaymentInput,
  type DisbursementStatus,
  type DisburseInput,
  type GatewayPaymentStatus,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type RefundResult,
  type WebhookContext,
} from '../gateway.js';
import { gatewayFetch, httpError, type GatewayRequest, type GatewayResponse } from '../http/gateway-http.js';
import { parseJsonBody } from '../webhook-signature.js';
import { fromMajorUnitString, mapMomoStatus, mapMomoTransferStatus, momoReason } from './momo-status.js';
import { momoCredentialsComplete, MomoTokenCache, type MomoProduct, type MomoProductCredentials } from './momo-token.js';

export { MOMO_STATUS, MOMO_STATUS_WORDS, MOMO_TRANSFER_STATUS, mapMomoStatus, type MomoStatusWord } from './momo-status.js';

export interface MomoSettings {
  // Sandbox https://sandbox.momodeveloper.mtn.com, production https://proxy.momoapi.mtn.com.
  baseUrl: string;
  // X-Target-Environment: 'sandbox', or 'mtn<country>' in production (e.g. 'mtnbenin').
  targetEnvironment: string;
  // PUBLIC_BASE_URL: MoMo calls back on <callbackBaseUrl>/webhooks/momo/<referenceId>.
  callbackBaseUrl: string;
  collection: MomoProductCredentials;
  disbursement: MomoProductCredentials;
  // Per request; default 10 s. Past it the outcome is unknown (ADR 0010).
  timeoutMs?: number;
}

// MTN MoMo Open API: Collection (requesttopay) for payments, Disbursement (transfer) for payouts,
// each with its own subscription key and token. We generate the X-Reference-Id, so the
// transaction id is known before the call. Callbacks are unsigned and sent once: they only
// trigger a status re-query, and the reconciler polls in case they never come.
export class MomoGateway implements PaymentGateway {
  readonly id = 'momo' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.momo;
  private readonly tokens: Record<MomoProduct, MomoTokenCache>;

  constructor(
    private readonly settings: MomoSettings,
    clock: Clock,
    // Kept for the adapter's uniform seam; references are our own record ids now.
    _ids?: IdGenerator,
  ) {
    this.tokens = {
      collection: new MomoTokenCache(settings.baseUrl, 'collection', settings.collection, clock),
      disbursement: new MomoTokenCache(settings.baseUrl, 'disbursement', settings.disbursement, clock),
    };
  }

  isConfigured(): boolean {
    return momoCredentialsComplete(this.settings.collection);
  }

  // Payouts need the Disbursement product's own credentials.
  canDisburse(): boolean {
    return momoCredentialsComplete(this.settings.disbursement);
  }

  validatePayment(input: CreatePaymentInput): void {
    if (!msisdn(input.metadata.phoneNumber)) throw new DomainError('VALIDATION_ERROR', 'metadata.phoneNumber is required for MTN MoMo');
  }

  // Our intent id (a UUID v4) is the X-Reference-Id: stored before the call, re-used by any retry
  // (MTN answers 409 to a reused id) and the key of every status query.
  transactionReference(intentId: string): string {
    return intentId;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    this.validatePayment(input);
    const referenceId = this.transactionReference(input.intentId);
    const response = await this.call('collection', {
      method: 'POST',
      url: this.url('/collection/v1_0/requesttopay'),
      headers: { 'x-reference-id': referenceId, ...this.callbackHeader(`/webhooks/momo/${referenceId}`) },
      body: {
        amount: toMajorUnitString(input.amount, input.currency),
        currency: input.currency,
        externalId: input.intentId,
        payer: { partyIdType: 'MSISDN', partyId: msisdn(input.metadata.phoneNumber) },
        payerMessage: `${input.metadata.appId ?? ''} ${input.metadata.referenceId ?? ''}`.trim().slice(0, 160),
        payeeNote: input.intentId,
      },
    });
    // 409 RESOURCE_ALREADY_EXIST: our own earlier request with this id got through.
    if (!isSuccess(response) && response.status !== 409) throw moneyMovingError(response.status, 'requesttopay');
    return { gatewayTransactionId: referenceId, paymentUrl: null, clientSecret: null, paymentMode: 'push' };
  }

  async getStatus(referenceId: string): Promise<GatewayPaymentStatus> {
    const body = await this.statusOf('collection', `/collection/v1_0/requesttopay/${encodeURIComponent(referenceId)}`);
    if (body === NOT_FOUND) return { status: 'pending', gatewayStatus: 'NOT_FOUND', notFound: true };
    const status = mapMomoStatus(body.gatewayStatus);
    const amount = body.currency ? fromMajorUnitString(body.amount, body.currency) : null;
    // Success is only reported with something the core can check against the intent: an
    // amount in a currency we know, or a foreign currency (which the core flags as a mismatch).
    if (status === 'succeeded' && amount === null && (!body.currency || isCurrency(body.currency))) {
      throw new GatewayError('momo', 'unavailable', 'requesttopay status: SUCCESSFUL without a readable amount', true, true);
    }
    const failureReason = status === 'failed' ? (body.reason ?? body.gatewayStatus) : undefined;
    return {
      status,
      gatewayStatus: body.gatewayStatus,
      ...(amount !== null ? { amount } : {}),
      ...(body.currency ? { currency: body.currency } : {}),
      ...(failureReason ? { failureReason } : {}),
    };
  }

  // Seed 001: MoMo refunds are manual (dashboard). No call is made.
  refund(): Promise<RefundResult> {
    return Promise.resolve({ status: 'pending', gatewayRefundId: null });
  }

  // Deliberately empty. MoMo callbacks carry no signature, secret or timestamp, so there is
  // nothing to verify (capabilities.webhookAuth 'none'). Nothing in the body is trusted: the
  // reference comes from the path we chose, and with requeryOnWebhook the pipeline asks
  // GET /collection/v1_0/requesttopay/{referenceId} before anything changes.
  verifyWebhook(): void {}

  // context.reference is our X-Reference-Id, taken from the callback path we gave MoMo. Without
  // it the callback cannot be ours. The body's status is only a hint for logs and dedup.
  parseWebhook(rawBody: Buffer, context: WebhookContext): GatewayWebhookEvent[] {
    const reference = context.reference;
    if (!reference) return [];
    const hint = (parseJsonBody(rawBody) as { status?: unknown } | null)?.status;
    const word = typeof hint === 'string' && /^[A-Z_]{1,32}$/.test(hint) ? hint : 'unknown';
    return [{ eventId: `callback:${reference}:${word}`, gatewayTransactionId: reference, status: mapMomoStatus(word) }];
  }

  async disburse(input: DisburseInput): Promise<DisbursementStatus> {
    if (!this.canDisburse()) throw new GatewayError('momo', 'auth', 'disbursement product is not configured', false, true);
    const payee = msisdn(input.phoneNumber);
    if (!payee) throw new GatewayError('momo', 'invalid_request', 'transfer: no payee phone number', false, true);
    // Our disbursement id is the X-Reference-Id, recorded before the call (see transactionReference).
    const referenceId = input.disbursementId;
    const response = await this.call('disbursement', {
      method: 'POST',
      url: this.url('/disbursement/v1_0/transfer'),
      headers: {
        'x-reference-id': referenceId,
        ...this.callbackHeader(`/webhooks/momo/disbursements/${encodeURIComponent(input.disbursementId)}`),
      },
      body: {
        amount: toMajorUnitString(input.amount, input.currency),
        currency: input.currency,
        externalId: input.disbursementId,
        payee: { partyIdType: 'MSISDN', partyId: payee },
        payerMessage: input.note.slice(0, 160),
        payeeNote: input.disbursementId,
      },
    });
    if (!isSuccess(response) && response.status !== 409) throw moneyMovingError(response.status, 'transfer');
    return { status: 'pending', providerReference: referenceId };
  }

  async getDisbursementStatus(referenceId: string): Promise<DisbursementStatus> {
    const body = await this.statusOf('disbursement', `/disbursement/v1_0/transfer/${encodeURIComponent(referenceId)}`);
    if (body === NOT_FOUND) return { status: 'pending', providerReference: referenceId, notFound: true };
    const status = mapMomoTransferStatus(body.gatewayStatus);
    const failureReason = status === 'failed' ? (body.reason ?? body.gatewayStatus) : undefined;
    return { status, providerReference: referenceId, ...(failureReason ? { failureReason } : {}) };
  }

  private async statusOf(product: MomoProduct, path: string) {
    const response = await this.call(product, { method: 'GET', url: this.url(path) });
    // 404 RESOURCE_NOT_FOUND: MTN has nothing under this reference (our request never arrived).
    if (response.status === 404) return NOT_FOUND;
    if (response.status !== 200) throw httpError('momo', response.status, `${product} status`);
    const body = response.body as { status?: unknown; amount?: unknown; currency?: unknown; reason?: unknown } | null;
    return {
      gatewayStatus: typeof body?.status === 'string' && body.status ? body.status : 'UNKNOWN',
      amount: body?.amount,
      currency: typeof body?.currency === 'string' && body.currency ? body.currency.toUpperCase() : null,
      reason: momoReason(body?.reason),
    };
  }

  // Every product call: the product's bearer token, subscription key and target environment.
  private async call(product: MomoProduct, request: GatewayRequest): Promise<GatewayResponse> {
    const token = await this.tokens[product].token();
    const response = await gatewayFetch('momo', {
      ...request,
      ...(this.settings.timeoutMs !== undefined ? { timeoutMs: this.settings.timeoutMs } : {}),
      headers: {
        authorization: `Bearer ${token}`,
        'x-target-environment': this.settings.targetEnvironment,
        'ocp-apim-subscription-key': this.settings[product].subscriptionKey ?? '',
        ...request.headers,
      },
    });
    if (response.status === 401) this.tokens[product].invalidate();
    return response;
  }

  // X-Callback-Url is optional; without a public base URL we rely on polling alone.
  private callbackHeader(path: string): Record<string, string> {
    const base = this.settings.callbackBaseUrl.replace(/\/+$/, '');
    return base ? { 'x-callback-url': `${base}${path}` } : {};
  }

  private url(path: string): string {
    return `${this.settings.baseUrl.replace(/\/+$/, '')}${path}`;
  }
}

const NOT_FOUND = Symbol('not found');

// MSISDN: the E.164 number's digits, without "+".
const msisdn = (phone: string | undefined): string => (phone ?? '').replace(/\D/g, '');

const isSuccess = (response: GatewayResponse): boolean => response.status >= 200 && response.status <= 299;

// MoMo answers 202 and works asynchronously, so a 5xx cannot prove nothing was created:
// retryable, but never "created nothing", so the core does not charge or pay out through a
// second provider; the reference we chose lets the reconciler ask.
function moneyMovingError(status: number, what: string): GatewayError {
  const error = httpError('momo', status, what);
  return status >= 500 ? new GatewayError('momo', error.kind, error.message, error.retryable, false) : error;
}
