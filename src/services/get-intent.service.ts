import { isUuidV4 } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { buildLedger, type Ledger } from '../domain/ledger.js';
import type { IntentRepository, RefundStore } from './ports.js';
import { canActFor, type Principal } from './principal.js';

export class GetIntentService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly refunds: RefundStore,
  ) {}

  // The intent with its ledger (payment +, refunds −), derived from the stored items.
  async withLedger(principal: Principal, id: string): Promise<{ intent: PaymentIntent; ledger: Ledger }> {
    const intent = await this.execute(principal, id);
    const { payments, refunds } = await this.refunds.listLedgerItems(intent.id);
    return { intent, ledger: buildLedger(payments, refunds) };
  }

  // Unknown, malformed and other apps' ids all look the same from outside: 404.
  async execute(principal: Principal, id: string): Promise<PaymentIntent> {
    const intent = isUuidV4(id) ? await this.intents.get(id) : null;
    if (!intent || !canActFor(principal, intent.appId)) {
      throw new DomainError('NOT_FOUND', `PaymentIntent not found: ${id.slice(0, 64)}`);
    }
    return intent;
  }
}
