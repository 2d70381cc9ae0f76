import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { PaymentEvent } from '../../src/domain/payment-event.js';
import { buildServices } from '../../src/app.services.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { checkDelay } from '../../src/domain/check-schedule.js';
import { REQUERY_WINDOW_MS } from '../../src/services/requery-throttle.js';
import { NOT_FOUND_GRACE_MS } from '../../src/services/payout-sender.js';
import { closedPortUrl } from '../support/fake-gateway-server.js';
import { MOMO_ROUTES, MomoFake } from '../support/fakes/momo-fake.js';
import { MOOV_PATH, MOOV_TEST_KEY, MoovFake } from '../support/fakes/moov-fake.js';
import { dynamoHardError, dynamoInternalError, FaultyDb, isWrite } from '../support/faulty-db.js';
import { ManualClock } from '../support/manual-clock.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// ADR 0010 on the payout path through the real MoMo adapter: a transfer whose outcome we do not
// know (MoMo acted, then the answer or our own write was lost) stays pending on MoMo with our
// disbursement id as X-Reference-Id; no retry pays twice, Moov is never tried, and only MoMo's
// callback or the reconciler settles it.
describe('MoMo payouts: money moves once (real adapter, stateful MoMo fake, DynamoDB Local)', () => {
  const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
  const momo = new MomoFake({ targetEnvironment: 'mtnbenin', currency: 'XOF' });
  const moov = new MoovFake({ username: 'merchant', password: 'pw' });
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
  const transfers = () => momo.count('disbursement');
  const disbursed = () => momo.moneyMoved('XOF').disbursed;
  // Any write once MoMo holds one more transfer than before: "after the provider acted".
  const afterTransfer = (before: number) => (command: Parameters<typeof isWrite>[0]) => isWrite(command) && transfers() > before;

  beforeAll(async () => {
    await Promise.all([momo.start(), moov.start()]);
    // Our app listens on a known local port so the fake's callback (X-Callback-Url) reaches it.
    const publicUrl = await closedPortUrl();
    t = await startTestApp(
      {
        PUBLIC_BASE_URL: publicUrl,
        MOMO_BASE_URL: momo.baseUrl,
        MOMO_TARGET_ENVIRONMENT: 'mtnbenin',
        // Short enough for the hang case; far above a loopback answer.
        GATEWAY_TIMEOUT_MS: '1500',
        MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: 'dis-sub',
        MOMO_DISBURSEMENT_API_USER: 'dis-user',
        MOMO_DISBURSEMENT_API_KEY: 'dis-key',
        MOOV_ENDPOINT_URL: `${moov.baseUrl}${MOOV_PATH}`,
        MOOV_USERNAME: 'merchant',
        MOOV_PASSWORD: 'pw',
        MOOV_ENCRYPTION_KEY: MOOV_TEST_KEY,
      },
      { clock },
      (db) => (faulty = new FaultyDb(db)).client,
    );
    await t.app.listen(Number(new URL(publicUrl).port), '127.0.0.1');
    t.deps.localBus?.subscribe('spy', {}, (event) => Promise.resolve(void events.push(event)));
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([momo.stop(), moov.stop()]);
  });

  // A paid mock intent: the source every payout below draws on.
  async function paidIntent(referenceId: string, extra: Record<string, string> = {}): Promise<string> {
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId, ...extra }, gatewayOverride: 'mock' });
    expect(created.status).toBe(201);
    expect((await http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, amount: created.body.amount, currency: created.body.currency })).status).toBe(200);
    return created.body.id as string;
  }
  const payout = (intentId: string, phoneNumber = '+2290197222222') => ({
    amount: 500000, currency: 'XOF', country: 'BJ', phoneNumber, appId: 'kaba', referenceId: `inv-${intentId.slice(0, 8)}`, intentId,
  });
  const post = (body: object, key?: string) => {
    const req = http().post('/api/v1/disbursements').set('X-API-Key', KEYS.kaba);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };
  const intentView = async (id: string) => (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body;

  // The client retries with the same Idempotency-Key, then without one (same intentId): both get
  // the one live payout and nothing more reaches MoMo or Moov.
  async function expectRetriesSendNothing(id: string, intentId: string, key: string, transfersAfterFirst: number) {
    for (const retryKey of [key, undefined]) {
      const retry = await post(payout(intentId), retryKey);
      expect([retry.status, retry.headers['idempotent-replayed'], retry.body.id, retry.body.status]).toEqual([201, 'true', id, 'pending']);
    }
    expect(transfers()).toBe(transfersAfterFirst);
    expect(moov.cashIns()).toBe(0);
  }

  // After settlement: MoMo paid 500000 once, and the service records exactly that, once.
  async function expectPaidOnce(id: string, intentId: string, disbursedBefore: number) {
    await flush();
    const recorded = (await http().get(`/api/v1/disbursements/${id}`).set('X-API-Key', KEYS.kaba)).body;
    expect(recorded).toMatchObject({ status: 'succeeded', provider: 'momo', providerReference: id, amount: 500000 });
    expect(momo.resource('disbursement', id)).toMatchObject({ status: 'SUCCESSFUL', amount: '500000', externalId: id });
    expect(disbursed() - disbursedBefore).toBe(recorded.amount);
    const intent = await intentView(intentId);
    expect([intent.paidOutAmount, intent.payouts.map((p: { id: string; status: string }) => [p.id, p.status])]).toEqual([500000, [[id, 'succeeded']]]);
    expect(eventsOf(id)).toEqual(['disbursement.completed']);
    expect(moov.cashIns()).toBe(0);
  }

  it.each([
    ['act-then-500', 'callback'],
    ['act-then-reset', 'reconciler'],
  ] as const)('MoMo transfer %s: 201 pending, retries send nothing, settled by the %s', async (mode, settleBy) => {
    const intentId = await paidIntent(`momo-${mode}`);
    const [before, paidBefore] = [transfers(), disbursed()];
    momo.inject(MOMO_ROUTES.transfer, mode);
    const first = await post(payout(intentId), `key-${mode}`);
    expect([first.status, first.body.status, first.body.provider]).toEqual([201, 'pending', 'momo']);
    expect(first.body.attempts).toEqual([expect.objectContaining({ provider: 'momo', outcome: 'unknown', errorKind: 'unavailable' })]);
    expect(transfers()).toBe(before + 1);
    await expectRetriesSendNothing(first.body.id, intentId, `key-${mode}`, before + 1);

    momo.settle(first.body.id, 'SUCCESSFUL');
    if (settleBy === 'callback') expect(await momo.callback(first.body.id)).toBe(200);
    else expect(await (await t.services()).disburse.pollPending()).toEqual({ checked: 1, settled: 1 });
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('MoMo transfer act-then-hang (our timeout fires after MoMo acted): 201 pending, attempt unknown (timeout), never Moov; settled once', async () => {
    const intentId = await paidIntent('momo-hang');
    const [before, paidBefore] = [transfers(), disbursed()];
    momo.inject(MOMO_ROUTES.transfer, 'act-then-hang');
    const first = await post(payout(intentId), 'key-hang');
    expect([first.status, first.body.status, first.body.provider]).toEqual([201, 'pending', 'momo']);
    expect(first.body.attempts).toEqual([expect.objectContaining({ provider: 'momo', outcome: 'unknown', errorKind: 'timeout' })]);
    expect(transfers()).toBe(before + 1);
    await expectRetriesSendNothing(first.body.id, intentId, 'key-hang', before + 1);
    momo.settle(first.body.id, 'SUCCESSFUL');
    expect(await (await t.services()).disburse.pollPending()).toEqual({ checked: 1, settled: 1 });
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('our outcome write fails once (hard) after MoMo accepted: 201 pending from the record, then settled once', async () => {
    const intentId = await paidIntent('momo-write-hard');
    const [before, paidBefore, failures] = [transfers(), disbursed(), faulty.failures];
    faulty.arm({ matches: afterTransfer(before), times: 1, error: dynamoHardError });
    const first = await post(payout(intentId), 'key-write-hard');
    faulty.disarm();
    expect(faulty.failures - failures).toBe(1);
    // The record written before the call, as it is: attempt still 'started', reference set.
    expect(first.body).toMatchObject({ status: 'pending', provider: 'momo', providerReference: first.body.id, attempts: [{ provider: 'momo', outcome: 'started' }] });
    await expectRetriesSendNothing(first.body.id, intentId, 'key-write-hard', before + 1);
    momo.settle(first.body.id, 'SUCCESSFUL');
    expect(await momo.callback(first.body.id, 'PUT')).toBe(200);
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it.each([
    ['a transient failure of that write is retried: the accepted outcome is recorded normally', false],
    ['that write applied but its answer lost (transient): the retry finds our own write, the outcome stands', true],
  ] as const)('%s; settled once', async (_title, applied) => {
    const name = applied ? 'momo-write-applied' : 'momo-write-transient';
    const intentId = await paidIntent(name);
    const [before, paidBefore, failures] = [transfers(), disbursed(), faulty.failures];
    faulty.arm({ matches: afterTransfer(before), times: 1, error: dynamoInternalError, applied });
    const first = await post(payout(intentId), `key-${name}`);
    faulty.disarm();
    expect(faulty.failures - failures).toBe(1);
    expect(first.body).toMatchObject({ status: 'pending', attempts: [{ provider: 'momo', outcome: 'accepted' }] });
    await expectRetriesSendNothing(first.body.id, intentId, `key-${name}`, before + 1);
    momo.settle(first.body.id, 'SUCCESSFUL');
    expect(await (await t.services()).disburse.pollPending()).toEqual({ checked: 1, settled: 1 });
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('a crash between the transfer and its save (every write fails): the pending record is resumed, never re-sent', async () => {
    const intentId = await paidIntent('momo-crash');
    const [before, paidBefore] = [transfers(), disbursed()];
    faulty.arm({ matches: afterTransfer(before), times: Infinity, error: dynamoHardError });
    const first = await post(payout(intentId), 'key-crash');
    faulty.disarm(); // "the process restarts"
    expect([first.status, first.body.status, first.body.attempts[0].outcome]).toEqual([201, 'pending', 'started']);
    clock.advance(61_000); // even past the key's lease, a retry only reads the recorded payout
    await expectRetriesSendNothing(first.body.id, intentId, 'key-crash', before + 1);
    momo.settle(first.body.id, 'SUCCESSFUL');
    expect(await momo.callback(first.body.id)).toBe(200);
    await expectPaidOnce(first.body.id, intentId, paidBefore);
  });

  it('the record-before-call write fails: nothing sent, the key answers 409 within its lease and pays once after it', async () => {
    const intentId = await paidIntent('momo-record-lost');
    const [before, paidBefore] = [transfers(), disbursed()];
    faulty.arm({ matches: (c) => c.constructor.name === 'TransactWriteCommand', times: 1, error: dynamoHardError });
    expect((await post(payout(intentId), 'key-record-lost')).status).toBe(500);
    faulty.disarm();
    expect(transfers()).toBe(before);
    expect((await post(payout(intentId), 'key-record-lost')).body).toMatchObject({ statusCode: 409, error: 'CONFLICT' });
    clock.advance(61_000);
    const resumed = await post(payout(intentId), 'key-record-lost');
    expect([resumed.status, resumed.body.status]).toEqual([201, 'pending']);
    expect(transfers()).toBe(before + 1);
    momo.settle(resumed.body.id, 'SUCCESSFUL');
    expect(await momo.callback(resumed.body.id)).toBe(200);
    await expectPaidOnce(resumed.body.id, intentId, paidBefore);
  });

  it('a transfer that never arrived (503, then 404) fails only after the grace; the intent can then be paid out again', async () => {
    const intentId = await paidIntent('momo-never-arrived');
    const [before, paidBefore] = [transfers(), disbursed()];
    momo.inject(MOMO_ROUTES.transfer, 'refuse-503');
    const first = await post(payout(intentId), 'key-lost-1');
    // A 503 on a money-moving call is an unknown outcome: pending, and no Moov fallback.
    expect([first.status, first.body.status, first.body.attempts[0].outcome]).toEqual([201, 'pending', 'unknown']);
    expect([transfers(), moov.cashIns()]).toEqual([before, 0]);

    const reconcile = async () => (await t.services()).disburse.pollPending();
    clock.advance(NOT_FOUND_GRACE_MS - 1000);
    expect(await reconcile()).toEqual({ checked: 1, settled: 0 }); // 404 within the grace: not believed
    // Its next check (backed off by a minute) is past the grace: now believed.
    clock.advance(checkDelay('payout', 1));
    expect(await reconcile()).toEqual({ checked: 1, settled: 1 });
    await flush();
    expect((await http().get(`/api/v1/disbursements/${first.body.id}`).set('X-API-Key', KEYS.kaba)).body).toMatchObject({
      status: 'failed',
      attempts: [{ provider: 'momo', outcome: 'failed', errorKind: 'not_found' }],
    });
    expect(eventsOf(first.body.id)).toEqual(['disbursement.failed']);
    expect((await intentView(intentId)).paidOutAmount).toBe(0);

    // The same key still names the failed payout; a new key (and a new phone) pays again.
    expect((await post(payout(intentId), 'key-lost-1')).body).toMatchObject({ id: first.body.id, status: 'failed' });
    const again = await post(payout(intentId, '+2290196333333'), 'key-lost-2');
    expect([again.status, again.headers['idempotent-replayed'], again.body.status]).toEqual([201, undefined, 'pending']);
    expect(again.body.id).not.toBe(first.body.id);
    expect(momo.resource('disbursement', again.body.id)?.party.partyId).toBe('2290196333333');
    // While it is pending, and once paid, the same call returns it.
    expect((await post(payout(intentId), 'key-lost-3')).headers['idempotent-replayed']).toBe('true');
    momo.settle(again.body.id, 'SUCCESSFUL');
    expect(await momo.callback(again.body.id)).toBe(200);
    const replay = await post(payout(intentId), 'key-lost-4');
    expect([replay.headers['idempotent-replayed'], replay.body.id, replay.body.status]).toEqual(['true', again.body.id, 'succeeded']);
    expect(transfers()).toBe(before + 1);
    await flush();
    expect(disbursed() - paidBefore).toBe(500000);
    const intent = await intentView(intentId);
    expect([intent.paidOutAmount, intent.payouts.map((p: { status: string }) => p.status)]).toEqual([500000, ['failed', 'succeeded']]);
    expect(eventsOf(again.body.id)).toEqual(['disbursement.completed']);
  });

  it('50 concurrent (forged or repeated) payout callbacks make at most one status query; the payout still settles once', async () => {
    const intentId = await paidIntent('momo-callback-flood');
    const first = await post(payout(intentId), 'key-flood');
    const statusQueries = () => momo.requests.filter((r) => r.method === 'GET' && r.path === `/disbursement/v1_0/transfer/${first.body.id}`).length;
    const before = statusQueries();
    const flood = await Promise.all(Array.from({ length: 50 }, () => http().put(`/webhooks/momo/disbursements/${first.body.id}`).send({ status: 'SUCCESSFUL' })));
    expect(new Set(flood.map((r) => r.status))).toEqual(new Set([200]));
    expect(statusQueries() - before).toBe(1); // MoMo still says PENDING: nothing settled
    // Past the window, the genuine callback (MoMo now says SUCCESSFUL) settles it.
    momo.settle(first.body.id, 'SUCCESSFUL');
    clock.advance(REQUERY_WINDOW_MS);
    expect(await momo.callback(first.body.id)).toBe(200);
    await flush();
    expect((await http().get(`/api/v1/disbursements/${first.body.id}`).set('X-API-Key', KEYS.kaba)).body.status).toBe('succeeded');
    expect(eventsOf(first.body.id)).toEqual(['disbursement.completed']);
  });

  it('MoMo refuses the transfer (FAILED): one disbursement.failed and the source is freed', async () => {
    const intentId = await paidIntent('momo-failed');
    const first = await post(payout(intentId), 'key-failed');
    momo.settle(first.body.id, 'FAILED', 'PAYEE_NOT_FOUND');
    expect(await momo.callback(first.body.id)).toBe(200);
    await flush();
    expect((await http().get(`/api/v1/disbursements/${first.body.id}`).set('X-API-Key', KEYS.kaba)).body).toMatchObject({ status: 'failed', failureReason: 'PAYEE_NOT_FOUND' });
    expect(eventsOf(first.body.id)).toEqual(['disbursement.failed']);
    expect((await intentView(intentId)).paidOutAmount).toBe(0);
    expect(moov.cashIns()).toBe(0);
  });

  it('Benin auto-disburser: MoMo acts then 500, payment.completed is delivered again: still one transfer, settled once', async () => {
    const intentId = await paidIntent('momo-auto', { businessPhone: '+22997222222' });
    const [before, paidBefore] = [transfers(), disbursed()];
    await flush();
    // The auto-disburser's trigger is a KkiaPay payment.completed; SNS may deliver it twice.
    const completed = events.find((e) => e.type === 'payment.completed' && e.intentId === intentId);
    const trigger = { ...(completed as PaymentEvent), gateway: 'kkiapay' };
    const { autoDisburse } = await buildServices(t.deps);
    momo.inject(MOMO_ROUTES.transfer, 'act-then-500');
    expect(await autoDisburse.onEvent(trigger)).toBe('disbursed');
    expect(await autoDisburse.onEvent(trigger)).toBe('already_disbursed');
    expect([transfers(), moov.cashIns()]).toEqual([before + 1, 0]);
    const [payoutSummary] = (await intentView(intentId)).payouts as Array<{ id: string; status: string }>;
    expect(payoutSummary?.status).toBe('pending');
    const id = payoutSummary?.id ?? '';
    expect(momo.resource('disbursement', id)?.party.partyId).toBe('2290197222222');
    momo.settle(id, 'SUCCESSFUL');
    expect(await momo.callback(id)).toBe(200);
    expect(await autoDisburse.onEvent(trigger)).toBe('already_disbursed');
    await expectPaidOnce(id, intentId, paidBefore);
  });

  it('across the file: money disbursed at MoMo equals the payouts recorded as succeeded', async () => {
    await flush();
    const completed = events.filter((e) => e.type === 'disbursement.completed');
    expect(disbursed()).toBe(completed.reduce((total, e) => total + e.amount, 0));
    expect(new Set(completed.map((e) => e.disbursementId)).size).toBe(completed.length);
  });
});
