import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { uuidGenerator } from '../../src/domain/clock.js';
import type { GatewayId } from '../../src/domain/gateway-id.js';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import { GatewayError, type CreatedPayment, type PaymentGateway } from '../../src/gateways/gateway.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { CREATE_FALLBACK_BUDGET_MS, CreateIntentService, type CreateIntentCommand } from '../../src/services/create-intent.service.js';
import { IdempotencyService } from '../../src/services/idempotency.service.js';
import { DynamoIdempotencyStore } from '../../src/storage/idempotency.repository.js';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { ManualClock } from '../support/manual-clock.js';

type Behaviour = 'ok' | GatewayError;

// A port-level stand-in whose createPayment answers as told and counts its calls.
function stubGateway(id: GatewayId, behaviour: () => Behaviour) {
  const calls: string[] = [];
  const gateway: PaymentGateway = {
    id,
    capabilities: GATEWAY_CAPABILITIES[id],
    isConfigured: () => true,
    createPayment: (input) => {
      calls.push(input.intentId);
      const outcome = behaviour();
      if (outcome !== 'ok') return Promise.reject(outcome);
      return Promise.resolve<CreatedPayment>({ gatewayTransactionId: `${id}_${input.intentId}`, paymentUrl: `https://${id}.test/pay`, clientSecret: null, paymentMode: 'redirect' });
    },
  };
  return { gateway, calls };
}

const refused = (id: GatewayId) => new GatewayError(id, 'unavailable', 'connection failed (ECONNREFUSED)', true, true);
const declined = (id: GatewayId) => new GatewayError(id, 'declined', 'declined', false, true);
const timedOut = (id: GatewayId) => new GatewayError(id, 'timeout', 'request timed out', true, false);

describe('fallback to the next configured gateway of the route (DynamoDB Local)', () => {
  let table: TestTable;
  const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
  const command: CreateIntentCommand = { amount: 2500, currency: 'CAD', country: 'CA', metadata: { appId: 'school', referenceId: 'fees-1' } };

  beforeAll(async () => {
    table = await createTestTable();
  });
  afterAll(async () => {
    await table.drop();
  });

  function service(stripe: () => Behaviour, tkh: () => Behaviour) {
    const s = stubGateway('stripe', stripe);
    const t = stubGateway('tkh', tkh);
    const intents = new DynamoIntentRepository(table.db, table.tableName);
    const create = new CreateIntentService(
      intents,
      new GatewayRegistry([s.gateway, t.gateway], { mockAsLastResort: false }),
      new IdempotencyService(new DynamoIdempotencyStore(table.db, table.tableName), clock, uuidGenerator),
      clock,
    );
    return { create, intents, stripeCalls: s.calls, tkhCalls: t.calls };
  }

  it('primary refused the connection → the next gateway is used and both attempts are recorded', async () => {
    const { create, intents } = service(() => refused('stripe'), () => 'ok');
    const { value } = await create.execute({ appId: 'school' }, command, null);
    expect(value).toMatchObject({ gateway: 'tkh', status: 'pending', paymentUrl: 'https://tkh.test/pay' });
    expect(value.attempts.map(({ gateway, outcome, errorKind }) => ({ gateway, outcome, errorKind }))).toEqual([
      { gateway: 'stripe', outcome: 'failed', errorKind: 'unavailable' },
      { gateway: 'tkh', outcome: 'created', errorKind: null },
    ]);
    expect((await intents.get(value.id))?.attempts).toHaveLength(2);
  });

  it('a decline never falls back: 502 and a failed intent with its attempt', async () => {
    const { create, intents, stripeCalls, tkhCalls } = service(() => declined('stripe'), () => 'ok');
    const referenceId = `no-fallback-${randomUUID()}`;
    await expect(create.execute({ appId: 'school' }, { ...command, metadata: { appId: 'school', referenceId } }, null)).rejects.toMatchObject({
      code: 'PAYMENT_GATEWAY_ERROR',
    });
    expect(tkhCalls).toHaveLength(0);
    const stored = await intents.get(stripeCalls[0]!);
    expect(stored).toMatchObject({ status: 'failed', gateway: 'stripe', referenceId });
    expect(stored?.attempts.map((a) => a.errorKind)).toEqual([declined('stripe').kind]);
  });

  it('an ambiguous timeout never falls back: 201 pending on that gateway, attempt unknown, left for the reconciler', async () => {
    const { create, intents, stripeCalls, tkhCalls } = service(() => timedOut('stripe'), () => 'ok');
    const referenceId = `no-fallback-${randomUUID()}`;
    const { value } = await create.execute({ appId: 'school' }, { ...command, metadata: { appId: 'school', referenceId } }, null);
    expect(tkhCalls).toHaveLength(0);
    expect(value).toMatchObject({ status: 'pending', gateway: 'stripe', paymentUrl: null, clientSecret: null });
    const stored = await intents.get(stripeCalls[0]!);
    expect(stored).toMatchObject({ status: 'pending', gateway: 'stripe', referenceId });
    expect(stored?.attempts.map((a) => `${a.outcome}:${a.errorKind}`)).toEqual(['unknown:timeout']);
  });

  it('every gateway down → 502 and the intent is stored as failed with all attempts', async () => {
    const { create, intents, stripeCalls } = service(() => refused('stripe'), () => refused('tkh'));
    const error = await create.execute({ appId: 'school' }, command, null).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PAYMENT_GATEWAY_ERROR', message: 'Every gateway for this payment failed (stripe, tkh)' });
    const stored = await intents.get(stripeCalls[0]!);
    expect(stored).toMatchObject({ status: 'failed', gateway: 'tkh', gatewayTransactionId: null, paymentUrl: null });
    expect(stored?.attempts.map((a) => `${a.gateway}:${a.outcome}:${a.errorKind}`)).toEqual(['stripe:failed:unavailable', 'tkh:failed:unavailable']);
  });

  it('a failed create with an Idempotency-Key releases the key, so a retry can succeed', async () => {
    let stripeUp = false;
    const { create } = service(() => (stripeUp ? 'ok' : refused('stripe')), () => refused('tkh'));
    await expect(create.execute({ appId: 'school' }, command, 'retry-key')).rejects.toMatchObject({ code: 'PAYMENT_GATEWAY_ERROR' });
    stripeUp = true;
    const retried = await create.execute({ appId: 'school' }, command, 'retry-key');
    expect(retried).toMatchObject({ replayed: false, value: { gateway: 'stripe', status: 'pending' } });
  });

  it('a slow refusal that uses up the create budget tries no further gateway: 502 and a failed intent', async () => {
    const slowRefusal = (ms: number) => () => {
      clock.advance(ms);
      return refused('stripe');
    };
    const late = service(slowRefusal(CREATE_FALLBACK_BUDGET_MS), () => 'ok');
    const referenceId = `budget-${randomUUID()}`;
    await expect(late.create.execute({ appId: 'school' }, { ...command, metadata: { appId: 'school', referenceId } }, null)).rejects.toMatchObject({
      code: 'PAYMENT_GATEWAY_ERROR',
    });
    expect(late.tkhCalls).toHaveLength(0);
    const stored = await late.intents.get(late.stripeCalls[0] as string);
    expect(stored).toMatchObject({ status: 'failed', attempts: [expect.objectContaining({ gateway: 'stripe', outcome: 'failed' })] });

    // Just inside the budget, the fallback still happens.
    const early = service(slowRefusal(CREATE_FALLBACK_BUDGET_MS - 1), () => 'ok');
    const { value } = await early.create.execute({ appId: 'school' }, { ...command, metadata: { appId: 'school', referenceId: `${referenceId}-b` } }, null);
    expect(value.gateway).toBe('tkh');
  });
});
