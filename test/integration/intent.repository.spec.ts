import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoIdempotencyStore } from '../../src/storage/idempotency.repository.js';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { INDEXES, keys } from '../../src/storage/table-schema.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { sampleIntent } from '../support/intents.js';

describe('DynamoIntentRepository (DynamoDB Local)', () => {
  let table: TestTable;
  let repository: DynamoIntentRepository;

  beforeAll(async () => {
    table = await createTestTable();
    repository = new DynamoIntentRepository(table.db, table.tableName);
  });
  afterAll(async () => {
    await table.drop();
  });

  it('stores an intent and reads back exactly the domain fields', async () => {
    const intent = sampleIntent({ id: randomUUID() });
    await repository.create(intent);
    expect(await repository.get(intent.id)).toEqual(intent);
  });

  it('returns null for an unknown id', async () => {
    expect(await repository.get(randomUUID())).toBeNull();
  });

  it('refuses to overwrite an existing intent (conditional put) and keeps the original', async () => {
    const intent = sampleIntent({ id: randomUUID() });
    await repository.create(intent);
    await expect(repository.create({ ...intent, amount: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await repository.get(intent.id))?.amount).toBe(500000);
  });

  it('takes a repeat of the very same record (a retry whose first answer was lost) as done, not as a conflict', async () => {
    const intent = sampleIntent({ id: randomUUID(), gatewayTransactionId: `tx-${randomUUID()}` });
    await repository.create(intent);
    await expect(repository.create(intent)).resolves.toBeUndefined();
    const next = { ...intent, paymentUrl: 'https://pay.example/1', version: intent.version + 1, updatedAt: new Date().toISOString() };
    await repository.saveAttempt(next, intent, null);
    await expect(repository.saveAttempt(next, intent, null)).resolves.toBeUndefined();
    // Another write on the same version is still refused.
    await expect(repository.saveAttempt({ ...next, paymentUrl: 'https://pay.example/other' }, intent, null)).rejects.toThrow('conflicts with an existing record');
    expect((await repository.get(intent.id))?.paymentUrl).toBe('https://pay.example/1');
  });

  it('keeps the next check (gsi3sk) through an attempt\'s outcome write, so its gsi3 key does not move; leaving the queue removes it', async () => {
    const stored = async (id: string) => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.intent(id), ConsistentRead: true }))).Item;
    const intent = sampleIntent({ id: randomUUID() });
    await repository.create(intent);
    const { gsi3sk } = (await stored(intent.id))!;
    const later = new Date(Date.parse(intent.updatedAt) + 60_000).toISOString();
    const outcome = { ...intent, paymentUrl: 'https://pay.example/1', version: intent.version + 1, updatedAt: later };
    await repository.saveAttempt(outcome, intent, null);
    // Its answer lost, the same write retried still finds it its own.
    await expect(repository.saveAttempt(outcome, intent, null)).resolves.toBeUndefined();
    expect(await stored(intent.id)).toMatchObject({ gsi3pk: 'OPEN_INTENT', gsi3sk, paymentUrl: 'https://pay.example/1' });
    const failed = { ...outcome, status: 'failed' as const, version: outcome.version + 1, updatedAt: later };
    await repository.saveAttempt(failed, outcome, null);
    await expect(repository.saveAttempt(failed, outcome, null)).resolves.toBeUndefined();
    expect(await stored(intent.id)).not.toHaveProperty('gsi3sk');
    expect(await stored(intent.id)).not.toHaveProperty('gsi3pk');
  });

  it('finds the intent by gateway transaction (the consistent lookup item) and by app reference', async () => {
    const intent = sampleIntent({ id: randomUUID(), referenceId: `ref-${randomUUID()}`, gatewayTransactionId: `tx-${randomUUID()}` });
    await repository.create(intent);
    const lookup = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.gatewayTransaction('mock', intent.gatewayTransactionId!), ConsistentRead: true }));
    expect(lookup.Item?.intentId).toBe(intent.id);
    const byRef = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: INDEXES.byAppReference.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `kaba#${intent.referenceId}` },
      }),
    );
    expect(byRef.Items?.map((item) => item.id)).toEqual([intent.id]);
  });

  it('writes intent and idempotency completion atomically: a lost claim writes neither', async () => {
    const store = new DynamoIdempotencyStore(table.db, table.tableName);
    const scope = { appId: 'kaba', key: `k-${randomUUID()}` };
    const intent = sampleIntent({ id: randomUUID() });
    // No reservation was made, so the completion's condition fails and the put is rolled back.
    await expect(
      repository.create(intent, { ...scope, requestHash: 'h' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await repository.get(intent.id)).toBeNull();

    await store.reserve(scope, 'h', intent.id, new Date());
    await repository.create(intent, { ...scope, requestHash: 'h' });
    expect(await repository.get(intent.id)).toEqual(intent);
    const record = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `IDEM#kaba#${scope.key}`, sk: 'IDEM' } }),
    );
    expect(record.Item).toMatchObject({ status: 'completed', requestHash: 'h', resourceId: intent.id });
  });
});
