import { nextCheckAt } from '../domain/check-schedule.js';
import { isUuidV4, type Clock } from '../domain/clock.js';
import type { Disbursement } from '../domain/disbursement.js';
import { DomainError, validationError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { toE164 } from '../domain/metadata.js';
import type { Currency } from '../domain/money.js';
import { checkPayoutDestination, payoutDay } from '../domain/payout-rules.js';
import { payoutProblem } from '../domain/refund.js';
import type { PayoutPolicy } from '../config/app-config.js';
import type { IdempotencyService, IdempotentResult } from './idempotency.service.js';
import type { DisbursementStore, IdempotencyCompletion, IntentRepository, RefundStore } from './ports.js';
import type { PayoutSender } from './payout-sender.js';
import { canActFor, type Principal } from './principal.js';
import { annotateRequest } from '../logging/request-id.js';
import { RequeryThrottle } from './requery-throttle.js';
import { defaultBudget, runDueWork, type RunBudget, type RunResult } from './work-queue-run.js';

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

// POST /disbursements and the Benin auto-disbursement. Never pays twice: one Idempotency-Key is
// one payout, a paid intent has at most one live payout (a failed one may be replaced), and
// refunds + payouts of an intent never exceed what it captured. Without a source intent only an
// operations key or an allowed app may pay out, within a daily cap.
export class DisburseService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly store: DisbursementStore,
    private readonly refunds: Pick<RefundStore, 'listLedgerItems'>,
    private readonly sender: PayoutSender,
    private readonly idempotency: IdempotencyService,
    private readonly policy: PayoutPolicy,
    private readonly clock: Clock,
    private readonly requeries: RequeryThrottle = new RequeryThrottle(clock),
  ) {}

  // `sourceRead`: the source intent when the caller has just read it (the auto-disburser), so it is
  // not read twice.
  async create(principal: Principal, command: DisburseCommand, idempotencyKey: string | null, sourceRead: PaymentIntent | null = null): Promise<IdempotentResult<Disbursement>> {
    annotateRequest({ appId: command.appId, referenceId: command.referenceId });
    if (!canActFor(principal, command.appId)) {
      throw new DomainError('FORBIDDEN', `This API key may not create disbursements for appId "${command.appId}"`);
    }
    // The DTO lets "" through; a payout nobody can trace back is refused here (and for auto-payouts).
    if (command.referenceId.trim() === '') throw validationError('referenceId is required');
    const phoneNumber = toE164(command.phoneNumber, command.country, 'phoneNumber');
    checkPayoutDestination({ country: command.country, currency: command.currency, phoneNumber });
    const source = command.intentId !== undefined ? await this.checkSource(command, sourceRead) : null;
    const dailyLimit = source ? null : this.unsourcedLimit(principal, command);
    if (source) {
      // The intent's live payout (pending or paid) is that payout, not a new one.
      const live = await this.store.liveForSource(source.id);
      const existing = live ? await this.store.get(live) : null;
      if (existing) return { value: existing, replayed: true };
    }
    const scope = idempotencyKey === null ? null : { appId: command.appId, key: `disbursement:${idempotencyKey}` };
    return this.idempotency.run<Disbursement>(scope, command, {
      create: (id, completion) => this.record(id, command, phoneNumber, source, dailyLimit, completion),
      load: (id) => this.store.get(id),
    });
  }

  // The reconciler: follows accepted and unknown payouts until their provider gives a final
  // answer, in one bounded pass over the payouts whose next check is due.
  async pollPending(budget: Partial<RunBudget> = {}): Promise<RunResult> {
    const now = () => this.clock.now().toISOString();
    return runDueWork(
      this.clock,
      defaultBudget(this.clock, budget),
      (cursor, limit) => this.store.listDue(now(), limit, cursor),
      (disbursement) => this.sender.settle(disbursement),
      (disbursement, checks) => this.store.reschedule(disbursement, checks, nextCheckAt('payout', checks, now())),
    );
  }

  // A provider callback (MoMo's is unsigned) is only a reason to ask the provider again — at
  // most once per payout per window, so a flood of forged callbacks cannot make us call MTN.
  async refresh(id: string): Promise<void> {
    const disbursement = isUuidV4(id) ? await this.store.get(id) : null;
    if (disbursement?.status !== 'pending' || !this.requeries.tryAcquire(`payout:${disbursement.id}`)) return;
    await this.sender.settle(disbursement);
  }

  async get(principal: Principal, id: string): Promise<Disbursement> {
    const disbursement = isUuidV4(id) ? await this.store.get(id) : null;
    if (!disbursement || !canActFor(principal, disbursement.appId)) throw new DomainError('NOT_FOUND', `Disbursement not found: ${id.slice(0, 64)}`);
    return disbursement;
  }

  // The payout is on record (with the reference every provider will get) before any provider is
  // called; then the sender pays it.
  private async record(
    id: string,
    command: DisburseCommand,
    phoneNumber: string,
    source: PaymentIntent | null,
    dailyLimit: number | null,
    completion: IdempotencyCompletion | null,
  ): Promise<Disbursement> {
    const now = this.clock.now();
    const disbursement = this.sender.firstAttempt({
      id,
      appId: command.appId,
      referenceId: command.referenceId,
      businessId: command.businessId ?? null,
      intentId: source?.id ?? null,
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
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    const stored = await this.store.create({ disbursement, completion, sourceAmount: source?.amount ?? null, dailyLimit, day: payoutDay(now) });
    if (!stored.created) throw await this.refusal(stored.reason, command, source);
    return this.sender.send(disbursement);
  }

  private async refusal(reason: 'source_has_payout' | 'over_captured' | 'over_daily_limit', command: DisburseCommand, source: PaymentIntent | null): Promise<DomainError> {
    if (reason === 'over_daily_limit') {
      return new DomainError('PAYMENT_ERROR', `A payout of ${command.amount} ${command.currency} would exceed the daily limit for payouts without a source intent of app ${command.appId}`);
    }
    const intent = source ? await this.intents.get(source.id) : null;
    if (reason === 'over_captured' && intent) {
      const refundIds = (await this.refunds.listLedgerItems(intent.id)).refunds.filter((r) => r.status !== 'failed').map((r) => r.id);
      return new DomainError('PAYMENT_ERROR', payoutProblem(intent, command.amount, refundIds) ?? `PaymentIntent ${intent.id} changed meanwhile; retry`);
    }
    return new DomainError('CONFLICT', `PaymentIntent ${source?.id ?? ''} is already being paid out; GET it to see the payout`);
  }

  // A source intent must be this app's, paid, in the same currency, with enough left that
  // refunds have not taken (refunded + paid out <= captured).
  private async checkSource(command: DisburseCommand, sourceRead: PaymentIntent | null): Promise<PaymentIntent> {
    const id = command.intentId ?? '';
    const intent = sourceRead?.id === id ? sourceRead : isUuidV4(id) ? await this.intents.get(id) : null;
    if (!intent || intent.appId !== command.appId) throw new DomainError('NOT_FOUND', `PaymentIntent not found: ${id.slice(0, 64)}`);
    if (intent.status !== 'succeeded') {
      throw new DomainError('PAYMENT_ERROR', `PaymentIntent ${intent.id} is ${intent.status}; only a paid intent can be paid out`);
    }
    if (intent.currency !== command.currency || command.amount > intent.amount) {
      throw new DomainError('PAYMENT_ERROR', `A payout of PaymentIntent ${intent.id} must be in ${intent.currency} and at most ${intent.amount}`);
    }
    return intent;
  }

  // Money no paid intent backs: only for keys allowed to move it, and never past the daily cap.
  private unsourcedLimit(principal: Principal, command: DisburseCommand): number {
    if (principal.appId !== null && !this.policy.unsourcedApps.includes(command.appId)) {
      throw new DomainError('FORBIDDEN', 'A payout without intentId needs the operations key, or an app listed in PAYOUT_UNSOURCED_APPS');
    }
    const limit = this.policy.unsourcedDailyLimits[command.currency] ?? 0;
    if (command.amount > limit) {
      throw new DomainError('PAYMENT_ERROR', `A payout without intentId may move at most ${limit} ${command.currency} a day per app`);
    }
    return limit;
  }
}
