import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../src/config/load-config.js';
import { uuidGenerator } from '../../src/domain/clock.js';
import { buildGatewayRegistry } from '../../src/gateways/build-gateways.js';
import { CreateIntentService, type CreateIntentCommand } from '../../src/services/create-intent.service.js';
import { IdempotencyService } from '../../src/services/idempotency.service.js';
import { DynamoIdempotencyStore } from '../../src/storage/idempotency.repository.js';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { INDEXES } from '../../src/storage/table-schema.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { ManualClock } from '../support/manual-clock.js';

describe('idempotent intent creation (DynamoDB Local)', () => {
  let table: TestTable;
  let clock: ManualClock;
  let service: CreateIntentService;
  let store: DynamoIdempotencyStore;

  beforeAll(async () => {
    table = await createTestTable();
    clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
    store = new DynamoIdempotencyStore(table.db, table.tableName);
    const config = loadConfig({ NODE_ENV: 'test', PAYMENTS_TABLE_NAME: table.tableName, PUBLIC_BASE_URL: 'http://x.test' });
    service = new CreateIntentService(
      new DynamoIntentRepository(table.db, table.tableName),
      buildGatewayRegistry(config, clock),
      new IdempotencyService(store, clock, uuidGenerator),
      clock,
    );
  });
  afterAll(async () => {
    await table.drop();
  });

  const command = (referenceId: string): CreateIntentCommand => ({
    amount: 2500,
    currency: 'USD',
    country: 'CA',
    metadata: { appId: 'events', referenceId },
    gatewayOverride: 'mock',
  });
  const intentsFor = async (referenceId: string) =>
    (
      await table.db.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: INDEXES.byAppReference.name,
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': `events#${referenceId}` },
        }),
      )
    ).Items ?? [];

  it('20 concurrent requests with one key create exactly one intent', async () => {
    const referenceId = `ref-${randomUUID()}`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => service.execute({ appId: 'events' }, command(referenceId), 'same-key')),
    );

    const stored = await intentsFor(referenceId);
    expect(stored).toHaveLength(1);
    const fulfilled = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as { code: string });
    // Every success is that one intent (created once, or replayed); the rest are told to retry.
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    expect(new Set(fulfilled.map((r) => r.value.id))).toEqual(new Set([stored[0]?.id]));
    expect(fulfilled.filter((r) => !r.replayed)).toHaveLength(1);
    expect(rejected.every((error) => error.code === 'CONFLICT')).toBe(true);
    expect(fulfilled.length + rejected.length).toBe(20);
  });

  it('without a key, each request creates its own intent (seed FAQ: no dedup by referenceId)', async () => {
    const referenceId = `ref-${randomUUID()}`;
    await Promise.all([1, 2, 3].map(() => service.execute({ appId: 'events' }, command(referenceId), null)));
    expect(await intentsFor(referenceId)).toHaveLength(3);
  });

  it('replays within 24 h and creates anew after the key expires', async () => {
    const referenceId = `ref-${randomUUID()}`;
    const key = `key-${randomUUID()}`;
    const first = await service.execute({ appId: 'events' }, command(referenceId), key);
    clock.advance(23 * 60 * 60 * 1000);
    const replay = await service.execute({ appId: 'events' }, command(referenceId), key);
    expect(replay).toEqual({ value: first.value, replayed: true });

    clock.advance(2 * 60 * 60 * 1000);
    const fresh = await service.execute({ appId: 'events' }, command(referenceId), key);
    expect(fresh.replayed).toBe(false);
    expect(fresh.value.id).not.toBe(first.value.id);
  });

  it('a request rejected before creation does not consume the key', async () => {
    const key = `key-${randomUUID()}`;
    const failing = { ...command('r'), gatewayOverride: 'stripe' as const }; // unconfigured in test
    await expect(service.execute({ appId: 'events' }, failing, key)).rejects.toMatchObject({ code: 'PAYMENT_ERROR' });
    const ok = await service.execute({ appId: 'events' }, command(`ref-${randomUUID()}`), key);
    expect(ok.replayed).toBe(false);
  });

  it('releases the claim when the gateway fails after the key was reserved', async () => {
    const scope = { appId: 'events', key: `key-${randomUUID()}` };
    const reservation = await store.reserve(scope, 'hash-a', 'resource-1', clock.now());
    expect(reservation).toEqual({ reserved: true });
    await store.release(scope, 'hash-a');
    expect(await store.reserve(scope, 'hash-a', 'resource-2', clock.now())).toEqual({ reserved: true });
    // A release with another body's hash does not free someone else's claim.
    await store.release(scope, 'hash-b');
    expect(await store.reserve(scope, 'hash-a', 'resource-3', clock.now())).toMatchObject({ reserved: false, existing: { resourceId: 'resource-2' } });
  });
});
