import type { DisbursementProvider } from '../disbursement-provider.js';
import { GatewayError, type DisbursementStatus, type DisburseInput } from '../gateway.js';
import { GATEWAY_CALLS, gatewayFetch, httpError, unreadableError } from '../http/gateway-http.js';
import { buildMoovEnvelope, MOOV_CONTENT_TYPE, moovRequestUrl, parseMoovAnswer, type MoovAnswer, type MoovCall } from './moov-soap.js';
import { isUsableMoovKey, moovToken } from './moov-token.js';

export interface MoovSettings {
  // The UssdPush SOAP endpoint Moov gives with the contract (…/com.tlc.merchant.api/UssdPush).
  endpointUrl: string | null;
  username: string | null;
  password: string | null;
  // The merchant key the AES token is built with (32 characters).
  encryptionKey: string | null;
  // Default 'http://api.merchant.tlc.com/'.
  namespace: string;
  // Per-request timeout; default MOOV_TIMEOUT_MS.
  timeoutMs?: number;
}

// The SDKs wait 60 s; a payout past our timeout is an unknown outcome left to an operator
// (confirmsAbsence is false), so wait as long as the callers allow: POST /disbursements runs in
// the 29 s API Lambda, the auto-disburser in 60 s. 25 s leaves the API Lambda time to record the
// answer (docs/gateways/moov.md, "Timeout").
export const MOOV_TIMEOUT_MS = 25_000;

type MoovOperation = 'cashintrans' | 'getTransactionStatus';

export const MOOV_STATUS_SUCCEEDED = 0;
export const MOOV_STATUS_PENDING = 100;
// Codes about our request rather than the payout (community code list): never a final state.
const MOOV_INVALID_TOKEN = 98;
// getTransactionStatus: "transaction does not exist" (community code list).
const MOOV_NO_SUCH_TRANSACTION = 94;
const MOOV_SYSTEM_BUSY = [99, -1];

// Moov Africa (Flooz / Moov Money) payouts in Benin, the fallback behind MTN MoMo (seed 001).
// Based on community sources only (docs/gateways/moov.md): off unless every credential is set.
export class MoovDisbursementProvider implements DisbursementProvider {
  readonly id = 'moov' as const;
  // Community sources only: whether getTransactionStatus finds a transfer by our referenceid is
  // unverified, so its "no such transaction" never frees a payout (docs/gateways/moov.md).
  readonly confirmsAbsence = false;

  constructor(private readonly settings: MoovSettings) {}

  isConfigured(): boolean {
    const { endpointUrl, username, password, encryptionKey } = this.settings;
    return Boolean(endpointUrl && username && password && encryptionKey && isUsableMoovKey(encryptionKey));
  }

  // SOAP cashintrans ("cash-in": merchant wallet → subscriber wallet).
  async disburse(input: DisburseInput): Promise<DisbursementStatus> {
    // Moov Benin wallets hold XOF; XOF has no minor unit, so the amount is already francs.
    if (input.currency !== 'XOF') throw invalidRequest(`Moov pays out XOF only (got ${input.currency})`);
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw invalidRequest('Moov amount must be a positive whole number of francs');
    const destination = input.phoneNumber.replace(/^\+/, '');
    if (!/^\d{8,15}$/.test(destination)) throw invalidRequest('Moov destination must be an E.164 phone number');
    const answer = await this.call('cashintrans', [
      ['amount', input.amount],
      ['destination', destination],
      ['referenceid', input.disbursementId],
      ['remarks', input.note],
    ]);
    return toStatus(answer, 'cashintrans', answer.transactionId ?? input.disbursementId);
  }

  // SOAP getTransactionStatus with <transid> = the reference disburse returned.
  async getDisbursementStatus(providerReference: string): Promise<DisbursementStatus> {
    const answer = await this.call('getTransactionStatus', [['transid', providerReference]]);
    return toStatus(answer, 'getTransactionStatus', providerReference);
  }

  private async call(operation: MoovOperation, request: MoovCall['request']): Promise<MoovAnswer> {
    const { endpointUrl, username, password, encryptionKey, namespace } = this.settings;
    if (!this.isConfigured() || !endpointUrl || !username || !password || !encryptionKey) {
      throw new GatewayError('moov', 'auth', 'Moov is not configured', false, true);
    }
    const response = await gatewayFetch('moov', {
      method: 'POST',
      url: moovRequestUrl(endpointUrl),
      headers: { 'content-type': MOOV_CONTENT_TYPE },
      body: buildMoovEnvelope({ namespace, operation, token: moovToken(username, password, encryptionKey), request }),
      raw: true,
      timeoutMs: this.settings.timeoutMs ?? MOOV_TIMEOUT_MS,
    });
    // Only status and operation go into errors: the body may echo the token or the MSISDN.
    if (response.status !== 200) throw httpError('moov', response.status, `moov ${operation}`, callKind(operation));
    return parseMoovAnswer(response.text);
  }
}

// 0 → succeeded, 100 → pending, any other payout code → failed with the code as the reason;
// 94 on a status query is "no such transfer", believed only after the grace (notFound), since
// the cashintrans carrying that reference may still be in flight.
// An unreadable answer, a rejected token or "system busy" says nothing about the payout: they
// are errors, and on cashintrans ambiguous ones (createdNothing false), so the core never falls
// back to another provider or reports a failure for money that may have moved.
export function toStatus(answer: MoovAnswer, operation: MoovOperation, providerReference: string): DisbursementStatus {
  const code = answer.statusCode;
  const isStatusQuery = operation === 'getTransactionStatus';
  if (code === null) throw unreadableError('moov', callKind(operation), `moov ${operation}`);
  if (code === MOOV_STATUS_SUCCEEDED) return { status: 'succeeded', providerReference };
  if (code === MOOV_STATUS_PENDING) return { status: 'pending', providerReference };
  if (isStatusQuery && code === MOOV_NO_SUCH_TRANSACTION) return { status: 'pending', providerReference, notFound: true };
  if (code === MOOV_INVALID_TOKEN) throw new GatewayError('moov', 'auth', `moov ${operation}: credentials rejected (status ${code})`, false, true);
  if (MOOV_SYSTEM_BUSY.includes(code)) throw new GatewayError('moov', 'unavailable', `moov ${operation}: system busy (status ${code})`, true, false);
  return { status: 'failed', providerReference, failureReason: `moov status ${code}` };
}

const callKind = (operation: MoovOperation) => (operation === 'cashintrans' ? GATEWAY_CALLS.moov.payout : GATEWAY_CALLS.moov.status);

function invalidRequest(message: string): GatewayError {
  return new GatewayError('moov', 'invalid_request', message, false, true);
}
