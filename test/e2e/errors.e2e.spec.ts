import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { KEYS, seedIntentRequest, startTestApp, type TestApp } from '../support/test-app.js';

// Every row of the seed's error table (plus ours) produced by a real request.
describe('error responses (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const post = (body: unknown) => http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send(body as object);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('400 VALIDATION_ERROR names the fields', async () => {
    const res = await post({ currency: 'XOF', country: 'BJ', metadata: { appId: 'events' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'amount is required' });

    const meta = await post({ ...seedIntentRequest(), metadata: { appId: 'events' } });
    expect(meta.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'metadata.referenceId is required' });
  });

  it('400 VALIDATION_ERROR for malformed JSON and for a body that is not an object', async () => {
    const bad = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.events)
      .set('Content-Type', 'application/json')
      .send('{"amount": 5,');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'Request body is not valid JSON' });
    const array = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send([1, 2]);
    expect(array.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'Request body must be a JSON object' });
  });

  it('401 UNAUTHORIZED without or with a wrong X-API-Key', async () => {
    const missing = await http().post('/api/v1/intents').send(seedIntentRequest());
    expect(missing.body).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'Missing X-API-Key header' });
    const wrong = await http().get('/api/v1/intents/550e8400-e29b-41d4-a716-446655440000').set('X-API-Key', 'guess');
    expect(wrong.body).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'Invalid X-API-Key' });
  });

  it('402 PAYMENT_ERROR when the requested gateway is not available', async () => {
    const res = await post({ ...seedIntentRequest(), gatewayOverride: 'stripe' });
    expect(res.body).toEqual({ statusCode: 402, error: 'PAYMENT_ERROR', message: 'Gateway stripe is not available in this environment' });
  });

  it("403 FORBIDDEN when the key does not own metadata.appId", async () => {
    const res = await post({ ...seedIntentRequest(), metadata: { appId: 'kaba', referenceId: 'x' } });
    expect(res.body).toEqual({ statusCode: 403, error: 'FORBIDDEN', message: 'This API key may not create intents for appId "kaba"' });
  });

  it('404 NOT_FOUND for unknown and malformed intent ids and unknown routes', async () => {
    const unknown = await http().get('/api/v1/intents/550e8400-e29b-41d4-a716-446655440000').set('X-API-Key', KEYS.events);
    expect(unknown.body).toEqual({
      statusCode: 404,
      error: 'NOT_FOUND',
      message: 'PaymentIntent not found: 550e8400-e29b-41d4-a716-446655440000',
    });
    const malformed = await http().get('/api/v1/intents/not-a-uuid%27%22').set('X-API-Key', KEYS.events);
    expect(malformed.status).toBe(404);
    expect(malformed.body.error).toBe('NOT_FOUND');
    const route = await http().get('/api/v1/nothing-here');
    expect(route.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'Route not found: GET /api/v1/nothing-here' });
  });

  it('409 CONFLICT when an Idempotency-Key is reused with another body', async () => {
    await post(seedIntentRequest()).set('Idempotency-Key', 'err-409');
    const res = await post({ ...seedIntentRequest(), amount: 1 }).set('Idempotency-Key', 'err-409');
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'CONFLICT',
      message: 'Idempotency-Key was already used with a different request body',
    });
  });

  it('400 for a malformed Idempotency-Key header', async () => {
    const res = await post(seedIntentRequest()).set('Idempotency-Key', 'has space');
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.message).toMatch(/^Idempotency-Key header/);
  });

  it('413 PAYLOAD_TOO_LARGE over 64 KB', async () => {
    const res = await post({ ...seedIntentRequest(), metadata: { appId: 'events', referenceId: 'x', note: 'x'.repeat(70_000) } });
    expect(res.body).toEqual({ statusCode: 413, error: 'PAYLOAD_TOO_LARGE', message: 'Request body must be at most 65536 bytes' });
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON', async () => {
    const res = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.events)
      .set('Content-Type', 'text/plain')
      .send('amount=5');
    expect(res.body).toEqual({ statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Content-Type must be application/json' });
  });

  it('creates no record when validation fails', async () => {
    const res = await post({ ...seedIntentRequest(), metadata: { appId: 'events', referenceId: 'half', phoneNumber: '12' } });
    expect(res.status).toBe(400);
    const list = await t.table.db.send(
      new (await import('@aws-sdk/lib-dynamodb')).ScanCommand({ TableName: t.table.tableName, FilterExpression: 'referenceId = :r', ExpressionAttributeValues: { ':r': 'half' } }),
    );
    expect(list.Items).toEqual([]);
  });
});

describe('502 and 500 (e2e)', () => {
  it('502 PAYMENT_GATEWAY_ERROR in production when no configured gateway can take the payment', async () => {
    const t = await startTestApp({
      NODE_ENV: 'production',
      PAYMENTS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-test',
    });
    try {
      const res = await request(t.app.getHttpServer())
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.events)
        .send({ ...seedIntentRequest(), gatewayOverride: undefined });
      expect(res.body).toEqual({
        statusCode: 502,
        error: 'PAYMENT_GATEWAY_ERROR',
        message: 'No configured gateway accepts XOF payments in BJ',
      });
      // The mock does not exist in production, even when asked for.
      const mock = await request(t.app.getHttpServer()).post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest());
      expect(mock.body.error).toBe('PAYMENT_ERROR');
    } finally {
      await t.close();
    }
  });

  it('500 INTERNAL_ERROR without internals when storage is unreachable', async () => {
    const unreachable = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'ca-central-1',
        endpoint: 'http://127.0.0.1:9',
        maxAttempts: 1,
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
    );
    const t = await startTestApp({}, { db: unreachable });
    try {
      const res = await request(t.app.getHttpServer())
        .get('/api/v1/intents/550e8400-e29b-41d4-a716-446655440000')
        .set('X-API-Key', KEYS.events);
      expect(res.body).toEqual({ statusCode: 500, error: 'INTERNAL_ERROR', message: 'Internal server error' });
    } finally {
      await t.close();
    }
  });
});
