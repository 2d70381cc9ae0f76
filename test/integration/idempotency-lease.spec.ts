import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { uuidGenerator } from '../../src/domain/clock.js';
import { DomainError } from '../../src/domain/errors.js';
import { IdempotencyService, type IdempotentOperation } from '../../src/services/idempotency.service.js';
import { requestHash } from '../../src/services/request-hash.js';
import { completionUpdate, DynamoIdempotencyStore, IDEMPOTENCY_LEASE_MS } from '../../src/storage/idempotency.repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { ManualClock } from '../support/manual-clock.js';

// Issue 9, case 11: a request that died after claiming its Idempotency-Key must not lock the key
// for 24 h, and a retry must never start a second operation when the first was recorded.
describe('Idempotency-Key leases (DynamoDB Local)', () => {
  let table: TestTable;
  let clock: ManualClock;
  let store: DynamoIdempotencyStore;
  let service: IdempotencyService;

  beforeAll(async () => {
    table = await createTestTable();
    clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
    store = new DynamoIdempotencyStore(table.db, table.tableName);
    service = new IdempotencyService(store, clock, uuidGenerator);
  });
  afterAll(async () => {
    await table.drop();
  });

  // An operation over an in-memory "resource store", counting how often it really ran.
  function operation(records = new Map<string, string>()) {
    const started: string[] = [];
    const op: IdempotentOperation<string> = {
      create: (id) => {
        started.push(id);
        records.set(id, `resource ${id}`);
        return Promise.resolve(`resource ${id}`);
      },
      load: (id) => Promise.resolve(records.get(id) ?? null),
    };
    return { op, started, records };
  }
  const scope = () => ({ appId: 'kaba', key: `k-${randomUUID()}` });
  const body = { amount: 1 };

  it('a claim whose request died before recording anything: 409 during the lease, then the retry starts it under the same id', async () => {
    const s = scope();
    const claimedId = randomUUID();
    await store.reserve(s, requestHash(body), claimedId, clock.now()); // the request died right here
    const { op, started } = operation();
    await expect(service.run(s, body, op)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('still in progress') });
    clock.advance(IDEMPOTENCY_LEASE_MS + 1);
    expect(await service.run(s, body, op)).toEqual({ value: `resource ${claimedId}`, replayed: false });
    expect(started).toEqual([claimedId]);
  });

  it('a request that died after recording its resource: the retry after the lease returns that resource, never a second one', async () => {
    const s = scope();
    const claimedId = randomUUID();
    await store.reserve(s, requestHash(body), claimedId, clock.now());
    const { op, started } = operation(new Map([[claimedId, `resource ${claimedId}`]]));
    clock.advance(IDEMPOTENCY_LEASE_MS + 1);
    expect(await service.run(s, body, op)).toEqual({ value: `resource ${claimedId}`, replayed: true });
    expect(started).toEqual([]);
  });

  it('two retries after an expired lease: exactly one takes it over', async () => {
    const s = scope();
    await store.reserve(s, requestHash(body), randomUUID(), clock.now());
    clock.advance(IDEMPOTENCY_LEASE_MS + 1);
    const { op, started } = operation();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => service.run(s, body, op)));
    expect(started).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as DomainError).code);
    expect(rejected.every((code) => code === 'CONFLICT')).toBe(true);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10 - rejected.length);
  });

  it('only a certain refusal (DomainError) frees the key; any other failure keeps it bound', async () => {
    const refused = scope();
    const failing: IdempotentOperation<string> = { create: () => Promise.reject(new DomainError('PAYMENT_GATEWAY_ERROR', 'refused')), load: () => Promise.resolve(null) };
    await expect(service.run(refused, body, failing)).rejects.toMatchObject({ code: 'PAYMENT_GATEWAY_ERROR' });
    const { op, started } = operation();
    await service.run(refused, body, op);
    expect(started).toHaveLength(1);

    const unknown = scope();
    const crashing: IdempotentOperation<string> = { create: () => Promise.reject(new Error('socket hang up after the gateway call')), load: () => Promise.resolve(null) };
    await expect(service.run(unknown, body, crashing)).rejects.toThrow('socket hang up');
    await expect(service.run(unknown, body, op)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a completed key returns the resource as it is now, and refuses another body', async () => {
    const s = scope();
    const records = new Map<string, string>();
    const { op, started } = operation(records);
    // Binds the key in its own write, as the repositories do in the outcome's transaction.
    const binding: IdempotentOperation<string> = {
      load: op.load,
      create: async (id, completion) => {
        await table.db.send(new TransactWriteCommand({ TransactItems: [completionUpdate(table.tableName, completion!)] }));
        return op.create(id, completion);
      },
    };
    const first = await service.run(s, body, binding);
    records.set(started[0]!, 'resource, settled since');
    clock.advance(IDEMPOTENCY_LEASE_MS * 10);
    expect(await service.run(s, body, op)).toEqual({ value: 'resource, settled since', replayed: true });
    expect(first.replayed).toBe(false);
    expect(started).toHaveLength(1);
    await expect(service.run(s, { amount: 2 }, op)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('different request body') });
  });
});
