import type { Clock, IdGenerator } from '../domain/clock.js';
import type { Disbursement, DisbursementAttempt } from '../domain/disbursement.js';
import { disbursementEventFor } from '../domain/payment-event.js';
import type { DisbursementProvider } from '../gateways/disbursement-provider.js';
import type { DisbursementStatus } from '../gateways/gateway.js';
import { logger } from '../logging/logger.js';
import type { DisbursementStore, OutboxDispatcher } from './ports.js';

type ProviderError = Error & { kind?: string; retryable?: boolean; createdNothing?: boolean };

type CallResult = { outcome: 'accepted'; status: DisbursementStatus } | { outcome: 'failed'; kind: string } | { outcome: 'unknown'; kind: string };

// A provider that says it has no such transfer is believed only once a request carrying that
// reference can no longer be in flight (longer than any API request, and than the key's lease).
export const NOT_FOUND_GRACE_MS = 5 * 60_000;

// Pays a recorded payout, provider by provider. Each try is recorded before the call with the
// reference the provider gets (our disbursement id: MoMo X-Reference-Id, Moov referenceid), so a
// lost answer can always be followed up. A provider is left for the next only when it certainly
// sent nothing; an unknown outcome stays pending on that provider until its status is known.
export class PayoutSender {
  constructor(
    private readonly store: DisbursementStore,
    private readonly providers: readonly DisbursementProvider[],
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  // The payout as first recorded: on the first configured provider, attempt started.
  firstAttempt(disbursement: Disbursement): Disbursement {
    const provider = this.configured()[0];
    return provider ? this.startOn(disbursement, provider) : disbursement;
  }

  async send(recorded: Disbursement): Promise<Disbursement> {
    const providers = this.configured();
    let current = recorded;
    for (const [index, provider] of providers.entries()) {
      if (index > 0) {
        const started = await this.save(this.startOn(current, provider), current.version);
        // Not recorded, so not called: the payout stays as stored, for the reconciler.
        if (!started) return this.stored(current.id, recorded);
        current = started;
      }
      const result = await call(provider, current);
      if (result.outcome === 'accepted') {
        const { status, providerReference, failureReason } = result.status;
        return this.saveOrKeep({ ...current, status, providerReference, failureReason: failureReason ?? null, attempts: close(current.attempts, 'accepted', null) }, current);
      }
      if (result.outcome === 'unknown') {
        // It may have paid: never a second provider. The reconciler asks this one.
        logger.warn('payout outcome unknown: left for the reconciler', { disbursementId: current.id, provider: provider.id, kind: result.kind });
        return this.saveOrKeep({ ...current, attempts: close(current.attempts, 'unknown', result.kind) }, current);
      }
      logger.warn('payout provider refused', { disbursementId: current.id, provider: provider.id, kind: result.kind });
      current = { ...current, attempts: close(current.attempts, 'failed', result.kind) };
    }
    const reason = providers.length === 0 ? 'no disbursement provider is configured' : 'every provider refused the payout';
    return this.saveOrKeep({ ...current, status: 'failed', failureReason: reason }, current);
  }

  // The reconciler (and MoMo's unsigned callback): follows an open payout until its provider
  // gives a final answer.
  async settle(disbursement: Disbursement): Promise<boolean> {
    const provider = this.providers.find((p) => p.id === disbursement.provider);
    if (!provider || !disbursement.providerReference) return false;
    try {
      const status = await provider.getDisbursementStatus(disbursement.providerReference);
      if (status.notFound) {
        const age = this.clock.now().getTime() - new Date(disbursement.updatedAt).getTime();
        if (age < NOT_FOUND_GRACE_MS) return false;
        if (!provider.confirmsAbsence) {
          logger.warn('payout outcome unknown and the provider cannot confirm it never arrived: check with the provider', { disbursementId: disbursement.id, provider: provider.id });
          return false;
        }
        const attempts = close(disbursement.attempts, 'failed', 'not_found');
        const failed = { ...disbursement, status: 'failed' as const, failureReason: `${provider.id} has no transfer ${disbursement.providerReference}: it never arrived`, attempts };
        return (await this.save(failed, disbursement.version)) !== null;
      }
      if (status.status === 'pending') return false;
      const attempts = close(disbursement.attempts, 'accepted', null);
      return (await this.save({ ...disbursement, status: status.status, failureReason: status.failureReason ?? null, attempts }, disbursement.version)) !== null;
    } catch (error) {
      logger.warn('disbursement status check failed', { disbursementId: disbursement.id, error: String(error) });
      return false;
    }
  }

  private configured(): DisbursementProvider[] {
    return this.providers.filter((provider) => provider.isConfigured());
  }

  private startOn(disbursement: Disbursement, provider: DisbursementProvider): Disbursement {
    const attempt: DisbursementAttempt = { provider: provider.id, outcome: 'started', errorKind: null, at: this.clock.now().toISOString() };
    return { ...disbursement, provider: provider.id, providerReference: disbursement.id, attempts: [...disbursement.attempts, attempt] };
  }

  // After money may have moved: if our write fails, the record as it was (attempt started, with
  // its reference) stays for the reconciler — never nothing.
  private async saveOrKeep(next: Disbursement, recorded: Disbursement): Promise<Disbursement> {
    return (await this.save(next, recorded.version)) ?? this.stored(recorded.id, recorded);
  }

  private async stored(id: string, fallback: Disbursement): Promise<Disbursement> {
    return (await this.store.get(id).catch(() => null)) ?? fallback;
  }

  // Saves a new state; a final one commits its disbursement event in the same transaction.
  private async save(next: Disbursement, expectedVersion: number): Promise<Disbursement | null> {
    const now = this.clock.now().toISOString();
    const updated = { ...next, version: expectedVersion + 1, updatedAt: now };
    const status = updated.status;
    const outbox =
      status === 'pending' ? null : { event: disbursementEventFor({ ...updated, status }, { eventId: this.ids.newId(), timestamp: now }), createdAt: now };
    try {
      if (!(await this.store.update(updated, expectedVersion, outbox))) return null;
    } catch (error) {
      logger.error('could not record a payout outcome; left for the reconciler', { disbursementId: next.id, status, error: String(error) });
      return null;
    }
    if (outbox) this.dispatcher.dispatch([outbox]);
    logger.info('disbursement updated', { disbursementId: updated.id, status: updated.status, provider: updated.provider });
    return updated;
  }
}

function close(attempts: DisbursementAttempt[], outcome: DisbursementAttempt['outcome'], errorKind: string | null): DisbursementAttempt[] {
  return attempts.map((attempt, index) =>
    index === attempts.length - 1 && (attempt.outcome === 'started' || attempt.outcome === 'unknown') ? { ...attempt, outcome, errorKind } : attempt,
  );
}

// Classifies one payout call: only "certainly sent nothing" is a refusal.
async function call(provider: DisbursementProvider, disbursement: Disbursement): Promise<CallResult> {
  try {
    const status = await provider.disburse({
      disbursementId: disbursement.id,
      amount: disbursement.amount,
      currency: disbursement.currency,
      phoneNumber: disbursement.phoneNumber,
      note: `${disbursement.appId} ${disbursement.referenceId}`.slice(0, 160),
    });
    return { outcome: 'accepted', status };
  } catch (error) {
    const failure = error as ProviderError;
    if (failure.createdNothing === true) return { outcome: 'failed', kind: failure.kind ?? 'unknown' };
    if (failure.kind === undefined) logger.error('payout provider threw unexpectedly; outcome unknown', { disbursementId: disbursement.id, error: String(error) });
    return { outcome: 'unknown', kind: failure.kind ?? 'unexpected' };
  }
}
