import { parsePhoneNumberFromString } from 'libphonenumber-js';
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
  type GatewayCapabilities,
  type GatewayPaymentStatus,
  type GatewayWebhookEvent,
  type PaymentGateway,
  type RefundResult,
  type WebhookContext,
} from '../gateway.js';
import { GATEWAY_CALLS, httpError, type GatewayResponse } from '../http/gateway-http.js';
import { parseJsonBody } from '../webhook-signature.js';
import { MomoAccount, type MomoAccountSettings } from './momo-account.js';
import { fromMajorUnitString, mapMomoStatus, mapMomoTransferStatus, momoReason } from './momo-status.js';
import type { MomoProduct } from './momo-token.js';

export { MOMO_STATUS, MOMO_STATUS_WORDS, MOMO_TRANSFER_STATUS, mapMomoStatus, type MomoStatusWord } from './momo-status.js';

// The first credential set is the MOMO_* variables (its country from MOMO_COUNTRY or the target
// environment); `otherCountries` are the MOMO_<CC>_* sets (ADR 0018).
export interface MomoSettings extends MomoAccountSettings {
  // Sandbox https://sandbox.momodeveloper.mtn.com, production https://proxy.momoapi.mtn.com.
  baseUrl: string;
  // X-Target-Environment: 'sandbox', or 'mtn<country>' in production (e.g. 'mtnbenin').
  targetEnvironment: string;
  // PUBLIC_BASE_URL: MoMo calls back on <callbackBaseUrl>/webhooks/momo/<referenceId>.
  callbackBaseUrl: string;
  // Per request; default 10 s. Past it the outcome is unknown (ADR 0010).
  timeoutMs?: number;
  otherCountries?: readonly MomoAccountSettings[];
}

// MTN MoMo Open API: Collection (requesttopay) for payments, Disbursement (transfer) for payouts,
// each with its own subscription key and token, per country account. We generate the
// X-Reference-Id, so the transaction id is known before the call. Callbacks are unsigned and
// sent once: they only trigger a status re-query, and the reconciler polls in case they never come.
export class MomoGateway implements PaymentGateway {
  readonly id = 'momo' as const;
  // This deployment's: exactly the countries (and their currencies) it holds Collection credentials for.
  readonly capabilities: GatewayCapabilities;
  private readonly accounts: readonly MomoAccount[];

  constructor(
    private readonly settings: MomoSettings,
    clock: Clock,
    // Kept for the adapter's uniform seam; references are our own record ids now.
    _ids?: IdGenerator,
  ) {
    const sets = [settings, ...(settings.otherCountries ?? [])];
    this.accounts = sets.map((set) => new MomoAccount(settings.baseUrl, set, clock, settings.timeoutMs));
    const collecting = this.accounts.filter((account) => account.collects());
    this.capabilities = {
      ...GATEWAY_CAPABILITIES.momo,
      countries: [...new Set(collecting.flatMap((account) => account.countries))],
      currencies: [...new Set(collecting.flatMap((account) => account.currencies))],
    };
  }

  isConfigured(): boolean {
    return this.accounts.some((account) => account.collects());
  }

  // Payouts need the Disbursement product's own credentials.
  canDisburse(): boolean {
    return this.accounts.some((account) => account.pays());
  }

  // Before anything is recorded: the phone, an account for the country, and the sandbox's EUR rule
  // (402 naming the reason). A production currency mismatch is left to createPayment, whose
  // "nothing created" refusal lets the core fall back to the next gateway.
  validatePayment(input: CreatePaymentInput): void {
    if (!msisdn(input.metadata.phoneNumber)) throw new DomainError('VALIDATION_ERROR', 'metadata.phoneNumber is required for MTN MoMo');
    const account = this.collectingAccount(input.country);
    if (!account) throw new DomainError('PAYMENT_ERROR', `MTN MoMo is not configured for country ${input.country} in this environment`);
    const problem = account.sandbox ? account.currencyProblem(input.currency) : null;
    if (problem) throw new DomainError('PAYMENT_ERROR', problem);
  }

  // Our intent id (a UUID v4) is the X-Reference-Id: stored before the call, re-used by any retry
  // (MTN answers 409 to a reused id) and the key of every status query.
  transactionReference(intentId: string): string {
    return intentId;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    this.validatePayment(input);
    const account = this.collectingAccount(input.country) as MomoAccount;
    // MTN would answer 500 INVALID_CURRENCY (an unknown outcome); refused before any call instead.
    const problem = account.currencyProblem(input.currency);
    if (problem) throw new GatewayError('momo', 'invalid_request', `requesttopay: ${problem}`, false, true);
    const referenceId = this.transactionReference(input.intentId);
    const response = await account.call('collection', {
      method: 'POST',
      url: '/collection/v1_0/requesttopay',
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
    if (!isSuccess(response) && response.status !== 409) throw httpError('momo', response.status, 'requesttopay', GATEWAY_CALLS.momo.create);
    return { gatewayTransactionId: referenceId, paymentUrl: null, clientSecret: null, paymentMode: 'push' };
  }

  async getStatus(referenceId: string): Promise<GatewayPaymentStatus> {
    const body = await this.statusOf(this.collecting(), 'collection', `/collection/v1_0/requesttopay/${encodeURIComponent(referenceId)}`);
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
    // Refusals before any call certainly sent nothing, so the payout may go to the next provider.
    const account = this.payingAccount(input.phoneNumber);
    if (!account) throw new GatewayError('momo', 'invalid_request', 'transfer: no MoMo disbursement account for the payee\'s country', false, true);
    const problem = account.currencyProblem(input.currency);
    if (problem) throw new GatewayError('momo', 'invalid_request', `transfer: ${problem}`, false, true);
    // Our disbursement id is the X-Reference-Id, recorded before the call (see transactionReference).
    const referenceId = input.disbursementId;
    const response = await account.call('disbursement', {
      method: 'POST',
      url: '/disbursement/v1_0/transfer',
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
    if (!isSuccess(response) && response.status !== 409) throw httpError('momo', response.status, 'transfer', GATEWAY_CALLS.momo.payout);
    return { status: 'pending', providerReference: referenceId };
  }

  async getDisbursementStatus(referenceId: string): Promise<DisbursementStatus> {
    const paying = this.accounts.filter((account) => account.pays());
    const body = await this.statusOf(paying, 'disbursement', `/disbursement/v1_0/transfer/${encodeURIComponent(referenceId)}`);
    if (body === NOT_FOUND) return { status: 'pending', providerReference: referenceId, notFound: true };
    const status = mapMomoTransferStatus(body.gatewayStatus);
    const failureReason = status === 'failed' ? (body.reason ?? body.gatewayStatus) : undefined;
    return { status, providerReference: referenceId, ...(failureReason ? { failureReason } : {}) };
  }

  // Our reference names no country, so each account is asked in turn (the MOMO_* set first): the
  // first that knows it answers; 404 from all is "not found"; any other failure is the error.
  private async statusOf(accounts: readonly MomoAccount[], product: MomoProduct, path: string) {
    let failure: GatewayError | null = null;
    for (const account of accounts) {
      try {
        const body = await this.statusFrom(account, product, path);
        if (body !== NOT_FOUND) return body;
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        failure ??= error;
      }
    }
    if (failure) throw failure;
    return NOT_FOUND;
  }

  private async statusFrom(account: MomoAccount, product: MomoProduct, path: string) {
    const response = await account.call(product, { method: 'GET', url: path });
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

  private collecting(): MomoAccount[] {
    return this.accounts.filter((account) => account.collects());
  }

  private collectingAccount(country: string): MomoAccount | undefined {
    return this.collecting().find((account) => account.serves(country));
  }

  // The payout's country is its wallet's: the disbursement service has checked that the number
  // belongs to the payout country. An unplaceable number goes to the only account, if just one.
  private payingAccount(phoneNumber: string): MomoAccount | undefined {
    const paying = this.accounts.filter((account) => account.pays());
    const country = parsePhoneNumberFromString(phoneNumber)?.country;
    if (country === undefined) return paying.length === 1 ? paying[0] : undefined;
    return paying.find((account) => account.serves(country));
  }

  // X-Callback-Url is optional; without a public base URL we rely on polling alone.
  private callbackHeader(path: string): Record<string, string> {
    const base = this.settings.callbackBaseUrl.replace(/\/+$/, '');
    return base ? { 'x-callback-url': `${base}${path}` } : {};
  }
}

const NOT_FOUND = Symbol('not found');

// MSISDN: the E.164 number's digits, without "+".
const msisdn = (phone: string | undefined): string => (phone ?? '').replace(/\D/g, '');

const isSuccess = (response: GatewayResponse): boolean => response.status >= 200 && response.status <= 299;
