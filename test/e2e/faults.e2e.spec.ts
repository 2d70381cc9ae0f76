import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { systemClock } from '../../src/domain/clock.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { createSnsClient, SnsEventPublisher } from '../../src/events/sns-event-publisher.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { StripeGateway } from '../../src/gateways/stripe/stripe.gateway.js';
import { dynamoHardError, FaultyDb, isWrite } from '../support/faulty-db.js';
import { STRIPE_ROUTES, StripeFake } from '../support/fakes/stripe-fake.js';
import { SilentTcpServer } from '../support/silent-tcp-server.js';
import { KEYS, seedIntentRequest, startTestApp, type TestApp } from '../support/test-app.js';

const INTERNAL = { statusCode: 500, error: 'INTERNAL_ERROR', message: 'Internal server error' };
const MOCK_SECRET = 'fault-mock-secret';
const signedMock = (body: object) => {
  const raw = JSON.stringify(body);
  return { raw, signature: createHmac('sha256', MOCK_SECRET).update(raw).digest('hex') };
};

describe('DynamoDB unavailable mid-request', () => {
  let t: TestApp;
  let faulty: FaultyDb;
  const http = () => request(t.app.getHttpServer());
  beforeAll(async () => {
    t = await startTestApp({ MOCK_WEBHOOK_SECRET: MOCK_SECRET }, {}, (db) => (faulty = new FaultyDb(db)).client);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a create whose second write fails answers in the error shape or as an open intent; the process keeps serving', async () => {
    let writes = 0;
    faulty.arm({ matches: (command) => isWrite(command) && ++writes >= 2, times: Infinity, error: dynamoHardError });
    const res = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest());
    faulty.disarm();
    expect(faulty.failures).toBeGreaterThan(0);
    // Either the intent was recorded open (201 pending, the reconciler settles it) or the error is ours.
    if (res.status === 201) expect(res.body.status).toBe('pending');
    else expect(res.body).toEqual(INTERNAL);
    expect((await http().get('/health')).status).toBe(200);
    expect((await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest())).status).toBe(201);
  });

  it('a webhook while every write fails is a 500 in the error shape; the same webhook later settles the intent', async () => {
    const intent = (await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest())).body;
    const { raw, signature } = signedMock({ gatewayTransactionId: intent.gatewayTransactionId, status: 'succeeded', amount: intent.amount, currency: intent.currency });
    const send = () => http().post('/webhooks/mock').set('content-type', 'application/json').set('x-mock-signature', signature).send(raw);
    faulty.arm({ matches: isWrite, times: Infinity, error: dynamoHardError });
    const failed = await send();
    faulty.disarm();
    expect([failed.status, failed.body]).toEqual([500, INTERNAL]);
    expect((await http().get(`/api/v1/intents/${intent.id}`).set('X-API-Key', KEYS.events)).body.status).toBe('pending');
    expect((await send()).status).toBe(200);
    expect((await http().get(`/api/v1/intents/${intent.id}`).set('X-API-Key', KEYS.events)).body.status).toBe('succeeded');
  });
});

describe('SNS accepting and never answering', () => {
  const silent = new SilentTcpServer();
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  beforeAll(async () => {
    await silent.start();
    const sns = createSnsClient({ region: 'ca-central-1', endpoint: silent.url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }, { connectionTimeoutMs: 200, requestTimeoutMs: 300, maxAttempts: 1 });
    const publisher = new SnsEventPublisher(sns, 'arn:aws:sns:ca-central-1:123456789012:hostile');
    t = await startTestApp({ MOCK_WEBHOOK_SECRET: MOCK_SECRET }, { publisher });
  });
  afterAll(async () => {
    await t.close();
    await silent.stop();
  });

  it('the webhook still answers, the publish gives up, and the event stays in the outbox for the sweep', async () => {
    const intent = (await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest())).body;
    const { raw, signature } = signedMock({ gatewayTransactionId: intent.gatewayTransactionId, status: 'succeeded', amount: intent.amount, currency: intent.currency });
    expect((await http().post('/webhooks/mock').set('content-type', 'application/json').set('x-mock-signature', signature).send(raw)).status).toBe(200);
    // The immediate publish settles (rejected by the timeout) instead of hanging.
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    expect(silent.connections).toBeGreaterThan(0);
    expect(await t.deps.relay.sweep(0)).toEqual({ published: 0, failed: 1 });
  });
});

describe('a gateway that acts and then hangs', () => {
  const stripe = new StripeFake();
  let t: TestApp;
  beforeAll(async () => {
    const base = await stripe.start();
    const gateway = new StripeGateway({ secretKey: 'sk_test_fault', webhookSecret: 'whsec_fault', apiBaseUrl: base }, systemClock, 300);
    t = await startTestApp({}, { gateways: new GatewayRegistry([gateway], { mockAsLastResort: false }) });
  });
  afterAll(async () => {
    await t.close();
    await stripe.stop();
  });

  // A Stripe create that timed out may have been made: an unknown outcome (ADR 0010), so 201
  // pending with the attempt 'unknown' and no fallback. What matters here: the request ends at
  // the client's timeout instead of hanging, and the process keeps answering.
  it('create ends at the timeout as an unknown outcome (201 pending), not a hang', async () => {
    stripe.inject(STRIPE_ROUTES.createPaymentIntent, 'act-then-hang');
    const started = Date.now();
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.events)
      .send({ amount: 2500, currency: 'CAD', country: 'CA', metadata: { appId: 'events', referenceId: 'hang-1' } });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', gateway: 'stripe', clientSecret: null, attempts: [expect.objectContaining({ outcome: 'unknown' })] });
    expect(stripe.paymentIntentCount()).toBe(1);
    expect((await request(t.app.getHttpServer()).get('/health')).status).toBe(200);
  });
});
