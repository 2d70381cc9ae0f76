import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { handler as LambdaHandler } from '../../src/lambda.js';
import { apiGatewayEvent, lambdaContext } from '../support/api-gateway-event.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { KEY_HASHES, KEYS, seedIntentRequest } from '../support/test-app.js';

describe('src/lambda.ts with API Gateway REST proxy events', () => {
  let table: TestTable;
  let handler: typeof LambdaHandler;

  beforeAll(async () => {
    table = await createTestTable();
    // The handler reads its configuration from the environment, exactly as on Lambda.
    Object.assign(process.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      PAYMENTS_TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: table.endpoint,
      PUBLIC_BASE_URL: 'https://api.example.test/dev',
      TKH_API_KEY_HASH: KEY_HASHES,
    });
    ({ handler } = await import('../../src/lambda.js'));
  });
  afterAll(async () => {
    await table.drop();
  });

  it('creates an intent and reads it back through the handler', async () => {
    const created = await handler(
      apiGatewayEvent({ method: 'POST', path: '/api/v1/intents', body: seedIntentRequest(), headers: { 'X-API-Key': KEYS.events } }),
      lambdaContext,
    );
    expect(created.statusCode).toBe(201);
    const intent = JSON.parse(created.body);
    expect(intent).toMatchObject({ appId: 'events', status: 'pending', gateway: 'mock', amount: 500000 });

    const fetched = await handler(
      apiGatewayEvent({ method: 'GET', path: `/api/v1/intents/${intent.id}`, headers: { 'X-API-Key': KEYS.events } }),
      lambdaContext,
    );
    expect(fetched.statusCode).toBe(200);
    expect(JSON.parse(fetched.body)).toEqual({ ...intent, refundedAmount: 0, balance: 0, ledger: [], paidOutAmount: 0, payouts: [] });
  });

  it('answers errors in the contract shape', async () => {
    const res = await handler(apiGatewayEvent({ method: 'GET', path: '/api/v1/intents/nope' }), lambdaContext);
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'Missing X-API-Key header' });
  });

  it('rate-limits by requestContext.identity.sourceIp, not by X-Forwarded-For', async () => {
    const from = (sourceIp: string, forwarded: string) =>
      handler(
        apiGatewayEvent({ method: 'GET', path: '/api/v1/intents/x', sourceIp, headers: { 'X-Forwarded-For': forwarded } }),
        lambdaContext,
      );
    for (let i = 0; i < 100; i++) await from('203.0.113.50', `10.0.0.${i}`);
    expect((await from('203.0.113.50', '10.9.9.9')).statusCode).toBe(429);
    expect((await from('203.0.113.51', '10.9.9.9')).statusCode).toBe(401);
  });
});
