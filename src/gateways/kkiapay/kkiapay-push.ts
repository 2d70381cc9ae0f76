import type { CreatePaymentInput } from '../gateway.js';

// ---------------------------------------------------------------------------------------------
// ASSUMPTION — KkiaPay Mode A (server-side mobile-money push) is NOT publicly documented.
// The path comes from KKIAPAY_PUSH_PATH; the request body and the answer field below are our
// best reading of community integrations and must be confirmed with KkiaPay before Mode A is
// used in production (docs/gateways/kkiapay.md, "Unverified"). Everything about the wire shape
// of the push lives in this file, so a correction touches nothing else.
// ---------------------------------------------------------------------------------------------

export interface KkiapayPushRequest {
  // XOF has no minor unit: the integer number of francs.
  amount: number;
  // MSISDN: the E.164 number's digits, without "+".
  phoneNumber: string;
  // Our intent id; KkiaPay echoes partnerId in its status answer and webhook.
  partnerId: string;
  reason: string;
}

export function kkiapayPushRequest(input: CreatePaymentInput, phoneDigits: string): KkiapayPushRequest {
  return {
    amount: input.amount,
    phoneNumber: phoneDigits,
    partnerId: input.intentId,
    reason: `${input.metadata.appId ?? ''} ${input.metadata.referenceId ?? ''}`.trim().slice(0, 100),
  };
}

// The push answer is expected to carry KkiaPay's transaction id as `transactionId`.
export function pushTransactionId(answer: unknown): string | null {
  const id = (answer as { transactionId?: unknown } | null)?.transactionId;
  return typeof id === 'string' && id.length > 0 ? id : null;
}
