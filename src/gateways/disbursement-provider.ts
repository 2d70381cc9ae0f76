import type { DisbursementProviderId } from '../domain/disbursement.js';
import type { DisbursementStatus, DisburseInput, PaymentGateway } from './gateway.js';

// Pays out to mobile-money wallets: MTN MoMo (primary), Moov Africa (fallback).
export interface DisbursementProvider {
  readonly id: DisbursementProviderId;
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
    isConfigured: () => gateway.canDisburse?.() ?? gateway.isConfigured(),
    disburse: (input) => disburse.call(gateway, input),
    getDisbursementStatus: (reference) => getDisbursementStatus.call(gateway, reference),
  };
}
