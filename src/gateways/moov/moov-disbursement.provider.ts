import type { DisbursementProvider } from '../disbursement-provider.js';
import { GatewayError, type DisbursementStatus, type DisburseInput } from '../gateway.js';
import { gatewayFetch, httpError } from '../http/gateway-http.js';
import { moovToken, parseMoovAnswer, soapEnvelope, type MoovAnswer } from './moov-soap.js';

export interface MoovSettings {
  endpointUrl: string | null;
  username: string | null;
  password: string | null;
  encryptionKey: string | null;
  namespace: string;
}

// Moov Africa (Flooz) payouts, the fallback behind MTN MoMo. Based on community sources only:
// off unless every credential is set, and every endpoint detail is configurable.
export class MoovDisbursementProvider implements DisbursementProvider {
  readonly id = 'moov' as const;

  constructor(private readonly settings: MoovSettings) {}

  isConfigured(): boolean {
    const { endpointUrl, username, password, encryptionKey } = this.settings;
    return Boolean(endpointUrl && username && password && encryptionKey);
  }

  async disburse(input: DisburseInput): Promise<DisbursementStatus> {
    // Moov Benin wallets hold XOF (francs, no minor unit).
    if (input.currency !== 'XOF') {
      throw new GatewayError('moov', 'invalid_request', `Moov pays out XOF only (got ${input.currency})`, false, true);
    }
    const answer = await this.call('cashintrans', {
      amount: input.amount,
      destination: input.phoneNumber.replace(/^\+/, ''),
      referenceid: input.disbursementId,
      remarks: input.note,
    });
    return toStatus(answer, input.disbursementId);
  }

  async getDisbursementStatus(providerReference: string): Promise<DisbursementStatus> {
    return toStatus(await this.call('getTransactionStatus', { transid: providerReference }), providerReference);
  }

  private async call(operation: string, fields: Record<string, string | number>): Promise<MoovAnswer> {
    const { endpointUrl, username, password, encryptionKey, namespace } = this.settings;
    if (!endpointUrl || !username || !password || !encryptionKey) {
      throw new GatewayError('moov', 'auth', 'Moov is not configured', false, true);
    }
    const response = await gatewayFetch('moov', {
      method: 'POST',
      url: endpointUrl,
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${operation}"` },
      body: soapEnvelope(namespace, operation, moovToken(username, password, encryptionKey), fields),
      raw: true,
    });
    if (response.status !== 200) throw httpError('moov', response.status, `moov ${operation}`);
    return parseMoovAnswer(response.text);
  }
}

// 0 = done, 100 = pending; any other code is a refusal (its code kept as the reason).
function toStatus(answer: MoovAnswer, fallbackReference: string): DisbursementStatus {
  const providerReference = answer.reference ?? fallbackReference;
  if (answer.statusCode === 0) return { status: 'succeeded', providerReference };
  if (answer.statusCode === 100) return { status: 'pending', providerReference };
  return { status: 'failed', providerReference, failureReason: `moov status ${answer.statusCode ?? 'unreadable'}` };
}
