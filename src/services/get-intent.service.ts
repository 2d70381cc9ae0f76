import { isUuidV4 } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { buildLedger, type Ledger } from '../domain/ledger.js';
import type { Disbursement } from '../domain/disbursement.js';
import type { DisbursementStore, IntentRepository, RefundStore } from './ports.js';
import { annotateRequest } from '../logging/request-id.js';
import { canActFor, type Principal } from './principal.js';

export class GetIntentService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly refunds: RefundStore,
    private readonly disbursements: DisbursementStore,
  ) {}

  // The intent with its ledger (payment +, refunds −), derived from the stored items, and the
  // payouts made from it.
  async withLedger(principal: Principal, id: string): Promise<{ intent: PaymentIntent; ledger: Ledger; payouts: Disbursement[] }> {
    const intent = await this.execute(principal, id);
    const { payments, refunds, payoutIds } = await this.refunds.listLedgerItems(intent.id);
    const payouts = payoutIds.length > 0 ? await this.disbursements.getMany(payoutIds) : [];
    return { intent, ledger: buildLedger(payments, refunds), payouts };
  }

  // Unknown, malformed and other apps' ids all look the same from outside: 404.
  async execute(principal: Principal, id: string): Promise<PaymentIntent> {
    const intent = isUuidV4(id) ? await this.intents.get(id) : null;
    if (!intent || !canActFor(principal, intent.appId)) {
      throw new DomainError('NOT_FOUND', `PaymentIntent not found: ${id.slice(0, 64)}`);
    }
    annotateRequest({ appId: intent.appId, referenceId: intent.referenceId });
    return intent;
  }
}
