import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { KEYS, seedIntentRequest, startTestApp, type TestApp } from '../support/test-app.js';
import { RecordingPublisher } from '../support/recording-publisher.js';

// The variables the CDK stack sets per stage (infra/config/environments.ts, ADR 0021).
const deployedStage = (stage: 'dev' | 'prod') => ({
  PAYMENTS_STAGE: stage,
  NODE_ENV: stage === 'dev' ? 'development' : 'production',
  PAYMENTS_TOPIC_ARN: `arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-${stage}`,
  MOCK_WEBHOOK_SECRET: 'mock-secret',
});

describe('the deployed dev stage: the contract\'s development environment, with keys (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp(deployedStage('dev'), { publisher: new RecordingPublisher() });
  });
  afterAll(async () => {
    await t.close();
  });

  it('still requires an API key (no development bypass on a shared stage)', async () => {
    expect((await http().post('/api/v1/intents').send(seedIntentRequest())).body).toEqual({
      statusCode: 401,
      error: 'UNAUTHORIZED',
      message: 'Missing X-API-Key header',
    });
  });

  it('offers the mock ("Option B"): gatewayOverride mock gives a signed mock payment page', async () => {
    const gateways = await http().get('/api/v1/gateways').set('X-API-Key', KEYS.events);
    expect(JSON.stringify(gateways.body)).toContain('"mock"');
    const created = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ gateway: 'mock', status: 'pending' });
    // The page needs its signature (MOCK_WEBHOOK_SECRET is required on dev): a bare link finds nothing.
    const page = new URL(created.body.paymentUrl as string);
    expect(page.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
    expect((await http().get(page.pathname)).status).toBe(404);
    expect((await http().get(`${page.pathname}${page.search}`)).status).toBe(200);
  });
});

describe('the deployed prod stage never has the mock (e2e)', () => {
  it('refuses gatewayOverride mock and lists no mock gateway', async () => {
    const t = await startTestApp(deployedStage('prod'), { publisher: new RecordingPublisher() });
    try {
      const created = await request(t.app.getHttpServer()).post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest());
      expect(created.body).toMatchObject({ error: 'PAYMENT_ERROR', message: expect.stringContaining('mock') });
      const gateways = await request(t.app.getHttpServer()).get('/api/v1/gateways').set('X-API-Key', KEYS.events);
      expect(JSON.stringify(gateways.body)).not.toContain('"mock"');
    } finally {
      await t.close();
    }
  });
});
