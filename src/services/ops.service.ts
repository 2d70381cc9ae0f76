import type { Clock } from '../domain/clock.js';
import { DomainError, validationError } from '../domain/errors.js';
import { isUnknownOutcome, OPEN_WORK_GUIDANCE, openStateOf, type OpenState } from '../domain/open-work-guidance.js';
import { OPEN_WORK_KINDS, type OpenWorkKind } from '../domain/open-work-kind.js';
import { REVIEW_GUIDANCE, type Guidance } from '../domain/review-guidance.js';
import type { ReviewReason } from './ports.js';
import type { Principal } from './principal.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ReviewRecord {
  gateway: string;
  eventId: string;
  reason: ReviewReason;
  detail: unknown;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface ReviewResolution {
  resolvedAt: string;
  resolvedBy: string;
  resolution: string;
}

export interface OpenWorkRecord {
  kind: OpenWorkKind;
  id: string;
  appId: string | null;
  intentId: string | null;
  status: string;
  // The payment gateway (intents, refunds) or payout provider (disbursements).
  gateway: string | null;
  // Their id for it: gateway transaction, gateway refund, provider reference.
  reference: string | null;
  lastAttemptOutcome: string | null;
  gatewayOutcome: string | null;
  createdAt: string;
  updatedAt: string;
}

// What the operations view needs from storage (storage/ops.repository.ts).
export interface OpsStore {
  listOpenReviews(cursor: string | null, limit: number): Promise<Page<ReviewRecord>>;
  resolveReview(gateway: string, eventId: string, resolution: ReviewResolution): Promise<ReviewRecord | 'not_found' | 'already_resolved'>;
  listOpenWork(kind: OpenWorkKind, updatedBefore: string, cursor: string | null, limit: number): Promise<Page<OpenWorkRecord>>;
  countOpenReviews(): Promise<number>;
  openWorkOutcomes(kind: OpenWorkKind, updatedBefore: string): AsyncIterable<OpenWorkRecord>;
}

export type ReviewItemView = ReviewRecord & { id: string } & Guidance;
export type OpenWorkView = OpenWorkRecord & { open: OpenState } & Guidance;

export interface OpsMetrics {
  openReviewItems: number;
  unknownOutcomesOverAnHour: number;
}

const HOUR_MS = 3_600_000;

// Shown for a reason stored by a version that knew a reason this one does not.
const UNLISTED_REASON: Guidance = { whatHappened: 'A gateway event could not be applied.', whatToDo: 'Read detail and check the gateway dashboard.' };

// A review item's id in the API: "<gateway>:<eventId>" (gateway ids contain no colon).
export const reviewItemId = (gateway: string, eventId: string): string => `${gateway}:${eventId}`;

// The operations view: only the operations (unscoped) key may read or resolve anything here.
export class OpsService {
  constructor(
    private readonly store: OpsStore,
    private readonly clock: Clock,
  ) {}

  async listReviewItems(principal: Principal, cursor: string | null, limit: number): Promise<Page<ReviewItemView>> {
    requireOperations(principal);
    const page = await this.store.listOpenReviews(cursor, limit);
    return { items: page.items.map(toReviewView), nextCursor: page.nextCursor };
  }

  async resolveReviewItem(principal: Principal, id: string, resolution: string, resolvedBy: string | undefined): Promise<ReviewItemView> {
    requireOperations(principal);
    const split = id.indexOf(':');
    if (split <= 0 || split === id.length - 1) throw new DomainError('NOT_FOUND', `Review item ${id} not found`);
    const gateway = id.slice(0, split);
    const eventId = id.slice(split + 1);
    const now = this.clock.now().toISOString();
    const result = await this.store.resolveReview(gateway, eventId, { resolvedAt: now, resolvedBy: resolvedBy ?? 'operations key', resolution });
    if (result === 'not_found') throw new DomainError('NOT_FOUND', `Review item ${id} not found`);
    if (result === 'already_resolved') throw new DomainError('CONFLICT', `Review item ${id} is already resolved`);
    return toReviewView(result);
  }

  async listOpenWork(principal: Principal, kind: OpenWorkKind, olderThanMinutes: number, cursor: string | null, limit: number): Promise<Page<OpenWorkView>> {
    requireOperations(principal);
    if (!OPEN_WORK_KINDS.includes(kind)) throw validationError(`kind must be one of ${OPEN_WORK_KINDS.join(', ')}`);
    const before = new Date(this.clock.now().getTime() - olderThanMinutes * 60_000).toISOString();
    const page = await this.store.listOpenWork(kind, before, cursor, limit);
    return { items: page.items.map(toOpenWorkView), nextCursor: page.nextCursor };
  }

  // For the reconciler run's EMF line (src/logging/emf.ts): no principal, it is not an API call.
  async metrics(now: Date = this.clock.now()): Promise<OpsMetrics> {
    const anHourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
    let unknown = 0;
    for (const kind of OPEN_WORK_KINDS) {
      for await (const record of this.store.openWorkOutcomes(kind, anHourAgo)) {
        if (isUnknownOutcome(openStateOf(kind, record))) unknown++;
      }
    }
    return { openReviewItems: await this.store.countOpenReviews(), unknownOutcomesOverAnHour: unknown };
  }
}

function requireOperations(principal: Principal): void {
  if (principal.appId !== null) throw new DomainError('FORBIDDEN', 'operations key required');
}

function toReviewView(record: ReviewRecord): ReviewItemView {
  const guidance = (REVIEW_GUIDANCE as Partial<Record<string, Guidance>>)[record.reason] ?? UNLISTED_REASON;
  return { id: reviewItemId(record.gateway, record.eventId), ...record, ...guidance };
}

function toOpenWorkView(record: OpenWorkRecord): OpenWorkView {
  const open = openStateOf(record.kind, record);
  return { ...record, open, ...OPEN_WORK_GUIDANCE[open] };
}
