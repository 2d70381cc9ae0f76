import { DomainError } from '../domain/errors.js';
import type { Clock, IdGenerator } from '../domain/clock.js';
import type { IdempotencyCompletion, IdempotencyScope, IdempotencyStore } from './ports.js';
import { requestHash } from './request-hash.js';

export type IdempotentResult<T> = { value: T; replayed: boolean };

export interface IdempotentOperation<T> {
  // Records the resource under `resourceId` (before any gateway call) and carries it out; writes
  // `completion` in the same transaction as the outcome it records.
  create(resourceId: string, completion: IdempotencyCompletion | null): Promise<T>;
  // The resource's current state, or null if it was never recorded.
  load(resourceId: string): Promise<T | null>;
}

// One (appId, Idempotency-Key) is one resource for 24 h. The resource id is chosen when the key is
// claimed, so a retry — however the first request ended — finds the same resource:
// - completed: the key is bound; the retry gets the resource's current state;
// - in progress within its lease: 409, the first request is still working;
// - in progress past its lease (the request died): the retry resumes the recorded resource, or
//   starts it under the same id if it was never recorded (then nothing was sent anywhere).
// Only a DomainError (a certain refusal: validation, 402, a gateway that certainly refused)
// releases the key; anything else may have moved money and keeps it bound.
export class IdempotencyService {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async run<T>(scope: IdempotencyScope | null, request: unknown, operation: IdempotentOperation<T>): Promise<IdempotentResult<T>> {
    const resourceId = this.ids.newId();
    if (scope === null) return { value: await operation.create(resourceId, null), replayed: false };
    const hash = requestHash(request);
    const completion = { ...scope, requestHash: hash };
    const reservation = await this.store.reserve(scope, hash, resourceId, this.clock.now());
    if (reservation.reserved) return { value: await this.createOrRelease(operation, resourceId, completion), replayed: false };

    const { existing } = reservation;
    if (existing.requestHash !== hash) {
      throw new DomainError('CONFLICT', 'Idempotency-Key was already used with a different request body');
    }
    if (existing.status === 'in_progress' && existing.leaseUntil > this.clock.now().getTime()) {
      throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still in progress; retry shortly');
    }
    const recorded = await operation.load(existing.resourceId);
    if (recorded !== null) return { value: recorded, replayed: true };
    if (existing.status === 'completed') throw new Error(`Idempotency-Key is bound to ${existing.resourceId}, which is missing`);
    // The first request died before recording anything: nothing was sent, start it again.
    if (!(await this.store.renewLease(scope, existing, this.clock.now()))) {
      throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still in progress; retry shortly');
    }
    return { value: await this.createOrRelease(operation, existing.resourceId, completion), replayed: false };
  }

  private async createOrRelease<T>(operation: IdempotentOperation<T>, resourceId: string, completion: IdempotencyCompletion): Promise<T> {
    try {
      return await operation.create(resourceId, completion);
    } catch (error) {
      if (error instanceof DomainError) await this.store.release(completion, completion.requestHash);
      throw error;
    }
  }
}
