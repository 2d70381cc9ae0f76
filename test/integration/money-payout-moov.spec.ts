import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { PaymentEvent } from '../../src/domain/payment-event.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { disbursementProviderOf, type DisbursementProvider } from '../../src/gateways/disbursement-provider.js';
import { MomoGateway } from '../../src/gateways/momo/momo.gateway.js';
import { MoovDisbursementProvider } from '../../src/gateways/moov/moov-disbursement.provider.js';
import { checkDelay } from '../../src/domain/check-schedule.js';
import { NOT_FOUND_GRACE_MS } from '../../src/services/payout-sender.js';
import { closedPortUrl } from '../support/fake-gateway-server.js';
import type { FaultMode } from '../support/fakes/faults.js';
import { MOOV_PATH, MOOV_ROUTE, MOOV_TEST_KEY, MoovFake } from '../support/fakes/moov-fake.js';
import { dynamoHardError, dynamoInternalError, FaultyDb, isWrite } from '../support/faulty-db.js';
import { ManualClock } from '../support/manual-clock.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// ADR 0010 on the Moov fallback: MoMo certainly sent nothing (connection refused), so the same
// write closes MoMo's attempt and records Moov's, with our disbursement id as `referenceid`,
// before cashintrans. When Moov's outcome is then unknown the payout stays pending on Moov until
// getTransactionStatus answers. The fake assumes cashintrans is not idempotent, so a re-send
// would show as a second transfer.
const MOOV = { username: 'merchant', password: 'pw' };

describe('Moov payouts behind a refused MoMo: money moves once (real providers, stateful Moov fake)', () => {
  const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
  const moov = new MoovFake(MOOV);
  const events: PaymentEvent[] = [];
  let faulty: FaultyDb;
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const flush = async () => {
    for (let round = 0; round < 4; round++) {
      await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
      await t.deps.localBus?.drain();
    }
  };
  const eventsOf = (disbursementId: string) => events.filter((e) => e.disbursementId === disbursementId).map((e) => e.type);
  const reconcile = async () => (await t.services()).disburse.pollPending();
  // Any write once Moov holds one more transfer than before: "after the provider acted".
  const afterCashIn = (before: number) => (command: Parameters<typeof isWrite>[0]) => isWrite(command) && moov.cashIns() > before;

  beforeAll(async () => {
    await moov.start();
    // Built by hand (not from env) only to give Moov a short timeout for the hang case.
    const momoDown = new MomoGateway(
      {
        baseUrl: await closedPortUrl(),
        targetEnvironment: 'mtnbenin',
        callbackBaseUrl: '',
        collection: { subscriptionKey: null, apiUser: null, apiKey: null },
        disbursement: { subscriptionKey: 'dis-sub', apiUser: 'dis-user', apiKey: 'dis-key' },
      },
      clock,
    );
    const providers: DisbursementProvider[] = [
      disbursementProviderOf(momoDown, 'momo') as DisbursementProvider,
      new MoovDisbursementProvider({ endpointUrl: `${moov.baseUrl}${MOOV_PATH}`, ...MOOV, encryptionKey: MOOV_TEST_KEY, namespace: 'http://api.merchant.tlc.com/', timeoutMs: 300 }),
    ];
    t = await startTestApp({}, { clock, disbursementProviders: providers }, (db) => (faulty = new FaultyDb(db)).client);
    t.deps.localBus?.subscribe('spy', {}, (event) => Promise.resolve(void events.push(event)));
  });
  afterAll(async () => {
    await t.close();
    await moov.stop();
  });

  async function paidIntent(referenceId: string): Promise<string> {
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId }, gatewayOverride: 'mock' });
    expect((await http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, amount: created.body.amount, currency: created.body.currency })).status).toBe(200);
    return created.body.id as string;
  }
  const payout = (intentId: string) => ({
    amount: 500000, currency: 'XOF', country: 'BJ', phoneNumber: '+2290197222222', appId: 'kaba', referenceId: `inv-${intentId.slice(0, 8)}`, intentId,
  });
  const post = (body: object, key?: string) => {
    const req = http().post('/api/v1/disbursements').set('X-API-Key', KEYS.kaba);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };
  const momoRefused = { provider: 'momo', outcome: 'failed', errorKind: 'unavailable' };

  // Same key, then no key with the same intentId: the same payout, and no second cashintrans.
  async function expectRetriesSendNothing(id: string, intentId: string, key: string, status: string) {
    for (const retryKey of [key, undefined]) {
      const retry = await post(payout(intentId), retryKey);
      expect([retry.status, retry.headers['idempotent-replayed'], retry.body.id, retry.body.status]).toEqual([201, 'true', id, status]);
    }
    expect(moov.cashIns(id)).toBe(1);
  }

  // Moov paid 500000 once under our reference, and the service records exactly that, once.
  async function expectPaidOnce(id: string, intentId: string, paidBefore: number) {
    await flush();
    const recorded = (await http().get(`/api/v1/disbursements/${id}`).set('X-API-Key', KEYS.kaba)).body;
    expect(recorded).toMatchObject({ status: 'succeeded', provider: 'moov', amount: 500000 });
    expect(recorded.attempts.map((a: { provider: string }) => a.provider)).toEqual(['momo', 'moov']);
    expect(moov.transfers.filter((tr) => tr.referenceid === id)).toEqual([expect.objectContaining({ amount: 500000, destination: '2290197222222', status: 0 })]);
    expect(moov.paidOut() - paidBefore).toBe(recorded.amount);
    const intent = (await http().get(`/api/v1/intents/${intentId}`).set('X-API-Key', KEYS.kaba)).body;
    expect([intent.paidOutAmount, intent.payouts.map((p: { id: string; status: string }) => [p.id, p.status])]).toEqual([500000, [[id, 'succeeded']]]);
    expect(eventsOf(id)).toEqual(['disbursement.completed']);
    expect(events.find((e) => e.disbursementId === id)?.gateway).toBe('moov');
  }

  it.each([
    ['act-then-500', 'unavailable'],
    ['act-then-reset', 'unavailable'],
    ['act-then-hang', 'timeout'],
  ] as Array<[FaultMode, string]>)('cashintrans %s: 201 pending on Moov, retries send nothing, the reconciler settles it', async (mode, kind) => {
    const intentId = await paidIntent(`moov-${mode}`);
    const paidBefore = moov.paidOut();
    moov.inject(MOOV_ROUTE, mode);
    const first = await post(payout(intentId), `key-${mode}`);
    expect(first.body).toMatchObject({ status: 'pending', provider: 'moov', providerReference: first.body.id });
    expect(first.body.attempts).toEqual([expect.objectContaining(momoRefused), expect.objectContaining({ provider: 'moov', outcome: 'unknown', errorKind: kind })]);
    await expectRetriesSendNothing(first.body.id, intentId, `key-${mode}`, 'pending');
    // getTransactionStatus by our reference: Moov paid it.
    expect(await reconcile()).toEqual({ checked: 1, settled: 1 });
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('Moov answers pending: recorded as the second attempt (accepted) with its transid, then settled', async () => {
    const intentId = await paidIntent('moov-pending');
    const paidBefore = moov.paidOut();
    moov.cashInStatus = 100;
    const first = await post(payout(intentId), 'key-pending');
    moov.cashInStatus = 0;
    const transid = moov.transfers.at(-1)?.transid;
    expect(first.body).toMatchObject({ status: 'pending', provider: 'moov', providerReference: transid });
    expect(first.body.attempts).toEqual([expect.objectContaining(momoRefused), expect.objectContaining({ provider: 'moov', outcome: 'accepted', errorKind: null })]);
    await expectRetriesSendNothing(first.body.id, intentId, 'key-pending', 'pending');
    expect(await reconcile()).toEqual({ checked: 1, settled: 0 });
    moov.settle(first.body.id, 0);
    clock.advance(checkDelay('payout', 1)); // its next check, backed off
    expect(await reconcile()).toEqual({ checked: 1, settled: 1 });
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('our outcome write fails once (hard) after Moov paid: 201 pending from the record, then settled once', async () => {
    const intentId = await paidIntent('moov-write-hard');
    const [before, paidBefore, failures] = [moov.cashIns(), moov.paidOut(), faulty.failures];
    faulty.arm({ matches: afterCashIn(before), times: 1, error: dynamoHardError });
    const first = await post(payout(intentId), 'key-write-hard');
    faulty.disarm();
    expect(faulty.failures - failures).toBe(1);
    // Moov's attempt was recorded before the call; the lost write would have closed it.
    expect(first.body).toMatchObject({ status: 'pending', provider: 'moov', providerReference: first.body.id });
    expect(first.body.attempts).toEqual([expect.objectContaining(momoRefused), expect.objectContaining({ provider: 'moov', outcome: 'started' })]);
    await expectRetriesSendNothing(first.body.id, intentId, 'key-write-hard', 'pending');
    expect(await reconcile()).toEqual({ checked: 1, settled: 1 });
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('a transient failure of that write is retried: 201 succeeded at once, one event', async () => {
    const intentId = await paidIntent('moov-write-transient');
    const [before, paidBefore, failures] = [moov.cashIns(), moov.paidOut(), faulty.failures];
    faulty.arm({ matches: afterCashIn(before), times: 1, error: dynamoInternalError });
    const first = await post(payout(intentId), 'key-write-transient');
    faulty.disarm();
    expect(faulty.failures - failures).toBe(1);
    expect(first.body).toMatchObject({ status: 'succeeded', provider: 'moov', providerReference: moov.transfers.at(-1)?.transid });
    await expectRetriesSendNothing(first.body.id, intentId, 'key-write-transient', 'succeeded');
    expect(await reconcile()).toEqual({ checked: 0, settled: 0 });
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('a crash between cashintrans and its save (every write fails): the pending record is resumed, never re-sent', async () => {
    const intentId = await paidIntent('moov-crash');
    const [before, paidBefore] = [moov.cashIns(), moov.paidOut()];
    faulty.arm({ matches: afterCashIn(before), times: Infinity, error: dynamoHardError });
    const first = await post(payout(intentId), 'key-crash');
    faulty.disarm();
    expect([first.status, first.body.status, first.body.attempts.at(-1).outcome]).toEqual([201, 'pending', 'started']);
    clock.advance(61_000); // even past the key's lease, a retry only reads the recorded payout
    await expectRetriesSendNothing(first.body.id, intentId, 'key-crash', 'pending');
    expect((await reconcile()).settled).toBeGreaterThanOrEqual(1);
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('cashintrans answered 503 (unknown) and never arrived: Moov\'s "no such transaction" (94) is never believed — the payout waits for an operator', async () => {
    const intentId = await paidIntent('moov-never-arrived');
    const before = moov.cashIns();
    moov.inject(MOOV_ROUTE, 'refuse-503');
    const first = await post(payout(intentId), 'key-lost');
    expect(first.body).toMatchObject({ status: 'pending', provider: 'moov' });
    expect(moov.cashIns()).toBe(before);
    // Whether Moov finds a transfer by our referenceid is unverified (community sources): a 94
    // could hide a paid transfer, so it never frees the source for a second payout.
    clock.advance(NOT_FOUND_GRACE_MS + 60_000);
    expect(await reconcile()).toEqual({ checked: 1, settled: 0 });
    await flush();
    expect((await http().get(`/api/v1/disbursements/${first.body.id}`).set('X-API-Key', KEYS.kaba)).body).toMatchObject({
      status: 'pending',
      attempts: [expect.objectContaining(momoRefused), expect.objectContaining({ provider: 'moov', outcome: 'unknown' })],
    });
    expect(eventsOf(first.body.id)).toEqual([]);
    expect((await http().get(`/api/v1/intents/${intentId}`).set('X-API-Key', KEYS.kaba)).body.paidOutAmount).toBe(500000);
  });

  // Last in the file: this payout stays pending on MoMo (down) for the reconciler.
  it("the write that records Moov's attempt fails: Moov is never called, the stored payout is returned", async () => {
    const intentId = await paidIntent('moov-start-lost');
    const before = moov.cashIns();
    const recordsMoovStart = (c: Parameters<typeof isWrite>[0]) =>
      // Whatever its command (a lone record is a plain put since ADR 0020).
      isWrite(c) && JSON.stringify(c.input).includes('"provider":"moov","outcome":"started"');
    faulty.arm({ matches: recordsMoovStart, times: 1, error: dynamoHardError });
    const first = await post(payout(intentId), 'key-start-lost');
    faulty.disarm();
    expect(first.body).toMatchObject({ status: 'pending', provider: 'momo', attempts: [{ provider: 'momo', outcome: 'started' }] });
    expect(moov.cashIns()).toBe(before);
    const retry = await post(payout(intentId), 'key-start-lost');
    expect([retry.headers['idempotent-replayed'], retry.body.id, moov.cashIns()]).toEqual(['true', first.body.id, before]);
    // MoMo's status cannot be read yet: checked, nothing settled, and it stays pending on MoMo.
    expect(await reconcile()).toMatchObject({ settled: 0 });
    expect((await http().get(`/api/v1/disbursements/${first.body.id}`).set('X-API-Key', KEYS.kaba)).body).toMatchObject({ status: 'pending', provider: 'momo' });
  });

  it('across the file: francs paid at Moov equal the payouts recorded as succeeded', async () => {
    await flush();
    const completed = events.filter((e) => e.type === 'disbursement.completed');
    expect(moov.paidOut()).toBe(completed.reduce((total, e) => total + e.amount, 0));
    expect(moov.cashIns()).toBe(completed.length);
  });
});

describe('MoMo and Moov both certainly refuse (connections refused)', () => {
  it('the payout fails with one disbursement.failed, both attempts recorded, and the intent is freed', async () => {
    const t = await startTestApp({
      MOMO_BASE_URL: await closedPortUrl(),
      MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: 's', MOMO_DISBURSEMENT_API_USER: 'u', MOMO_DISBURSEMENT_API_KEY: 'k',
      MOOV_ENDPOINT_URL: `${await closedPortUrl()}${MOOV_PATH}`, MOOV_USERNAME: 'merchant', MOOV_PASSWORD: 'pw', MOOV_ENCRYPTION_KEY: MOOV_TEST_KEY,
    });
    const events: PaymentEvent[] = [];
    t.deps.localBus?.subscribe('spy', {}, (event) => Promise.resolve(void events.push(event)));
    const http = () => request(t.app.getHttpServer());
    try {
      const created = await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'both-down' }, gatewayOverride: 'mock' });
      await http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, amount: created.body.amount, currency: created.body.currency });
      const res = await http()
        .post('/api/v1/disbursements')
        .set('X-API-Key', KEYS.kaba)
        .set('Idempotency-Key', 'both-down')
        .send({ amount: 500000, currency: 'XOF', country: 'BJ', phoneNumber: '+2290197222222', appId: 'kaba', referenceId: 'both-down', intentId: created.body.id });
      // A certain refusal everywhere is a final answer, returned as the recorded payout.
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'failed', failureReason: 'every provider refused the payout' });
      expect(res.body.attempts.map((a: { provider: string; outcome: string }) => [a.provider, a.outcome])).toEqual([
        ['momo', 'failed'],
        ['moov', 'failed'],
      ]);
      for (let round = 0; round < 4; round++) {
        await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
        await t.deps.localBus?.drain();
      }
      expect(events.filter((e) => e.disbursementId === res.body.id).map((e) => e.type)).toEqual(['disbursement.failed']);
      const intent = (await http().get(`/api/v1/intents/${created.body.id}`).set('X-API-Key', KEYS.kaba)).body;
      expect([intent.status, intent.paidOutAmount, intent.payouts.map((p: { status: string }) => p.status)]).toEqual(['succeeded', 0, ['failed']]);
    } finally {
      await t.close();
    }
  });
});
