import type { DisbursementProviderId } from '../domain/disbursement.js';
import type { DisbursementStatus, DisburseInput, PaymentGateway } from './gateway.js';

// Pays out to mobile-money wallets: MTN MoMo (primary), Moov Africa (fallback).
export interface DisbursementProvider {
  readonly id: DisbursementProviderId;
  // Its "no such transfer" (for our reference) is documented and can be believed after a grace
  // (MoMo's 404); otherwise an unknown payout waits for an operator rather than risk paying twice.
  readonly confirmsAbsence: boolean;
  isConfigured(): boolean;
  disburse(input: DisburseInput): Promise<DisbursementStatus>;
  getDisbursementStatus(providerReference: string): Promise<DisbursementStatus>;
}

// The MoMo gateway's disbursement product, seen as a provider.
export function disbursementProviderOf(gateway: PaymentGateway | undefined, id: DisbursementProviderId): DisbursementProvider | null {
  const { disburse, getDisbursementStatus } = gateway ?? {};
  if (!gateway || !disburse || !getDisbursementStatus) return null;
  return {
    id,
    confirmsAbsence: true,
    isConfigured: () => gateway.canDisburse?.() ?? gateway.isConfigured(),
    disburse: (input) => disburse.call(gateway, input),
    getDisbursementStatus: (reference) => getDisbursementStatus.call(gateway, reference),
  };
}
