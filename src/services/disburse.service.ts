import { isUuidV4, type Clock, type IdGenerator } from '../domain/clock.js';
import type { Disbursement, DisbursementAttempt } from '../domain/disbursement.js';
import { DomainError } from '../domain/errors.js';
import { toE164 } from '../domain/metadata.js';
import type { Currency } from '../domain/money.js';
import { disbursementEventFor } from '../domain/payment-event.js';
import type { DisbursementProvider } from '../gateways/disbursement-provider.js';
import { logger } from '../logging/logger.js';
import type { IdempotencyService, IdempotentResult } from './idempotency.service.js';
import type { DisbursementStore, IntentRepository, OutboxDispatcher } from './ports.js';
import { canActFor, type Principal } from './principal.js';

export interface DisburseCommand {
  amount: number;
  currency: Currency;
  country: string;
  phoneNumber: string;
  appId: string;
  referenceId: string;
  businessId?: string;
  intentId?: string;
}

type ProviderError = Error & { kind?: string; retryable?: boolean; createdNothing?: boolean };

// POST /disbursements and the Benin auto-disbursement. Never pays twice: one Idempotency-Key, or
// one source intent, maps to one disbursement; a provider is only abandoned for the next when
// it certainly sent nothing.
export class DisburseService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly store: DisbursementStore,
    private readonly providers: readonly DisbursementProvider[],
    private readonly idempotency: IdempotencyService,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(principal: Principal, command: DisburseCommand, idempotencyKey: string | null): Promise<IdempotentResult<Disbursement>> {
    if (!canActFor(principal, command.appId)) {
      throw new DomainError('FORBIDDEN', `This API key may not create disbursements for appId "${command.appId}"`);
    }
    const phoneNumber = toE164(command.phoneNumber, command.country, 'phoneNumber');
    if (command.intentId !== undefined) await this.checkSource(command);
    const scope = idempotencyKey === null ? null : { appId: command.appId, key: `disbursement:${idempotencyKey}` };
    // The stored response is the disbursement id; a replay returns its current state.
    const { value, replayed } = await this.idempotency.run<{ id: string; existed: boolean }>(scope, command, async (completion) => {
      const now = this.clock.now().toISOString();
      const pending: Disbursement = {
        id: this.ids.newId(),
        appId: command.appId,
        referenceId: command.referenceId,
        businessId: command.businessId ?? null,
        intentId: command.intentId ?? null,
        amount: command.amount,
        currency: command.currency,
        country: command.country,
        phoneNumber,
        status: 'pending',
        provider: null,
        providerReference: null,
        failureReason: null,
        attempts: [],
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const stored = await this.store.create(pending, completion?.({ id: pending.id, existed: false }) ?? null);
      if (!stored.created) return { id: stored.existingId, existed: true };
      await this.send(pending);
      return { id: pending.id, existed: false };
    });
    const disbursement = await this.store.get(value.id);
    if (!disbursement) throw new DomainError('NOT_FOUND', `Disbursement not found: ${value.id}`);
    // The source intent was already paid out: this is that same disbursement, not a new one.
    return { value: disbursement, replayed: replayed || value.existed };
  }

  // A source intent must be this app's, paid, in the same currency and at least the amount.
  private async checkSource(command: DisburseCommand): Promise<void> {
    const id = command.intentId ?? '';
    const intent = isUuidV4(id) ? await this.intents.get(id) : null;
    if (!intent || intent.appId !== command.appId) throw new DomainError('NOT_FOUND', `PaymentIntent not found: ${id.slice(0, 64)}`);
    if (intent.status !== 'succeeded') {
      throw new DomainError('PAYMENT_ERROR', `PaymentIntent ${intent.id} is ${intent.status}; only a paid intent can be paid out`);
    }
    if (intent.currency !== command.currency || command.amount > intent.amount) {
      throw new DomainError('PAYMENT_ERROR', `A payout of PaymentIntent ${intent.id} must be in ${intent.currency} and at most ${intent.amount}`);
    }
  }

  async get(principal: Principal, id: string): Promise<Disbursement> {
    const disbursement = isUuidV4(id) ? await this.store.get(id) : null;
    if (!disbursement || !canActFor(principal, disbursement.appId)) throw new DomainError('NOT_FOUND', `Disbursement not found: ${id.slice(0, 64)}`);
    return disbursement;
  }

  // The reconciler: follows accepted payouts until the provider gives a final answer.
  async pollPending(limit = 50): Promise<{ checked: number; settled: number }> {
    const pending = await this.store.listPending(limit);
    let settled = 0;
    for (const disbursement of pending) if (await this.settle(disbursement)) settled++;
    return { checked: pending.length, settled };
  }

  // A provider callback (MoMo's is unsigned) is only a reason to ask the provider again.
  async refresh(id: string): Promise<void> {
    const disbursement = isUuidV4(id) ? await this.store.get(id) : null;
    if (disbursement?.status === 'pending') await this.settle(disbursement);
  }

  private async settle(disbursement: Disbursement): Promise<boolean> {
    const provider = this.providers.find((p) => p.id === disbursement.provider);
    if (!provider || !disbursement.providerReference) return false; // ambiguous: left for an operator
    try {
      const status = await provider.getDisbursementStatus(disbursement.providerReference);
      if (status.status === 'pending') return false;
      return await this.save({ ...disbursement, status: status.status, failureReason: status.failureReason ?? null }, disbursement.version);
    } catch (error) {
      logger.warn('disbursement status check failed', { disbursementId: disbursement.id, error: String(error) });
      return false;
    }
  }

  private async send(disbursement: Disbursement): Promise<void> {
    const attempts: DisbursementAttempt[] = [];
    for (const provider of this.providers.filter((p) => p.isConfigured())) {
      const at = this.clock.now().toISOString();
      try {
        const result = await provider.disburse({
          disbursementId: disbursement.id,
          amount: disbursement.amount,
          currency: disbursement.currency,
          phoneNumber: disbursement.phoneNumber,
          note: `${disbursement.appId} ${disbursement.referenceId}`.slice(0, 160),
        });
        attempts.push({ provider: provider.id, outcome: 'accepted', errorKind: null, at });
        await this.save(
          { ...disbursement, provider: provider.id, providerReference: result.providerReference, status: result.status, failureReason: result.failureReason ?? null, attempts },
          disbursement.version,
        );
        return;
      } catch (error) {
        const failure = error as ProviderError;
        attempts.push({ provider: provider.id, outcome: 'failed', errorKind: failure.kind ?? 'unknown', at });
        logger.warn('disbursement provider failed', { disbursementId: disbursement.id, provider: provider.id, kind: failure.kind });
        if (!(failure.retryable && failure.createdNothing)) {
          // It may have paid: never try a second provider. An operator checks with the provider.
          await this.save({ ...disbursement, provider: provider.id, status: 'pending', failureReason: 'ambiguous provider error: check with the provider before retrying', attempts }, disbursement.version);
          return;
        }
      }
    }
    const reason = attempts.length === 0 ? 'no disbursement provider is configured' : 'every provider failed';
    const lastTried = attempts.at(-1)?.provider ?? null;
    await this.save({ ...disbursement, provider: lastTried, status: 'failed', failureReason: reason, attempts }, disbursement.version);
  }

  // Saves a new state; a final one commits its disbursement event in the same transaction.
  private async save(next: Disbursement, expectedVersion: number): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const updated = { ...next, version: expectedVersion + 1, updatedAt: now };
    const status = updated.status;
    const outbox =
      status === 'pending'
        ? null
        : { event: disbursementEventFor({ ...updated, status }, { eventId: this.ids.newId(), timestamp: now }), createdAt: now };
    const saved = await this.store.update(updated, expectedVersion, outbox);
    if (saved && outbox) this.dispatcher.dispatch([outbox]);
    if (saved) logger.info('disbursement updated', { disbursementId: updated.id, status: updated.status, provider: updated.provider });
    return saved;
  }
}
