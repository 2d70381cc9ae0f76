import { DomainError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import type { IdempotencyCompletion, IdempotencyScope, IdempotencyStore } from './ports.js';
import { requestHash } from './request-hash.js';

export type IdempotentResult<T> = { value: T; replayed: boolean };

// Runs `create` at most once per (appId, Idempotency-Key) within 24 h. `create` receives the
// completion to write in the same transaction as the resource it stores.
export class IdempotencyService {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  async run<T>(
    scope: IdempotencyScope | null,
    request: unknown,
    create: (completion: ((response: T) => IdempotencyCompletion) | null) => Promise<T>,
  ): Promise<IdempotentResult<T>> {
    if (scope === null) return { value: await create(null), replayed: false };
    const hash = requestHash(request);
    const reservation = await this.store.reserve(scope, hash, this.clock.now());
    if (!reservation.reserved) {
      const { existing } = reservation;
      if (existing.requestHash !== hash) {
        throw new DomainError('CONFLICT', 'Idempotency-Key was already used with a different request body');
      }
      if (existing.status === 'in_progress') {
        throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still in progress; retry shortly');
      }
      return { value: JSON.parse(existing.response) as T, replayed: true };
    }
    try {
      const value = await create((response) => ({ ...scope, requestHash: hash, response: JSON.stringify(response) }));
      return { value, replayed: false };
    } catch (error) {
      await this.store.release(scope, hash);
      throw error;
    }
  }
}
