import type { DisbursementProviderId } from '../../src/domain/disbursement.js';
import type { DisbursementProvider } from '../../src/gateways/disbursement-provider.js';
import { GatewayError, type DisbursementStatus, type DisburseInput } from '../../src/gateways/gateway.js';

// A provider at the port: up (accepts, settles on the first status check) or down (refused).
export class StubDisbursementProvider implements DisbursementProvider {
  readonly sent: DisburseInput[] = [];
  up = true;
  readonly confirmsAbsence = true;

  constructor(readonly id: DisbursementProviderId) {}

  isConfigured(): boolean {
    return true;
  }

  disburse(input: DisburseInput): Promise<DisbursementStatus> {
    if (!this.up) return Promise.reject(new GatewayError('momo', 'unavailable', 'connection failed (ECONNREFUSED)', true, true));
    this.sent.push(input);
    return Promise.resolve({ status: 'pending', providerReference: `${this.id}-${input.disbursementId}` });
  }

  getDisbursementStatus(providerReference: string): Promise<DisbursementStatus> {
    return Promise.resolve({ status: 'succeeded', providerReference });
  }
}
