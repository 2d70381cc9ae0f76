import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { ensureBundles } from './synth.js';

const run = promisify(execFile);

// Loads a bundle in a FRESH node process (no jest, no ts-jest, no decorator help) and invokes its
// handler with an event, printing the result as the last line.
async function invokeBundle(bundle: string, event: unknown, env: Record<string, string>): Promise<unknown> {
  const script = `
    const { handler } = await import(${JSON.stringify(`${process.cwd()}/dist-lambda/${bundle}/index.mjs`)});
    const result = await handler(${JSON.stringify(event)}, { awsRequestId: 'boot-test', getRemainingTimeInMillis: () => 30000 });
    process.stdout.write('\\nRESULT ' + JSON.stringify(result ?? null) + '\\n');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 60_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return JSON.parse((line ?? 'RESULT null').slice('RESULT '.length));
}

describe('the synthesized Lambda bundles boot in a fresh node process', () => {
  let table: TestTable;
  let env: Record<string, string>;

  beforeAll(async () => {
    ensureBundles();
    table = await createTestTable();
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      PAYMENTS_TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: table.endpoint,
      PUBLIC_BASE_URL: 'https://abc.execute-api.ca-central-1.amazonaws.com/dev',
      TKH_API_KEY_HASH: `events:${createHash('sha256').update('boot-key').digest('hex')}`,
      AWS_REGION: 'ca-central-1',
    };
  }, 120_000);
  afterAll(async () => {
    await table.drop();
  });

  it('API: GET /api/v1/intents/<id> answers a real 404 from DynamoDB Local (Nest DI intact)', async () => {
    const id = '550e8400-e29b-41d4-a716-446655440000';
    const event = apiGatewayEvent({ method: 'GET', path: `/api/v1/intents/${id}`, headers: { 'X-API-Key': 'boot-key' } });
    const result = (await invokeBundle('api', event, env)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: `PaymentIntent not found: ${id}` });
  }, 60_000);

  it('outbox relay: a stream batch without outbox items is a clean no-op', async () => {
    const event = {
      Records: [
        {
          eventName: 'MODIFY',
          dynamodb: { SequenceNumber: '1', NewImage: { pk: { S: 'INTENT#550e8400-e29b-41d4-a716-446655440000' }, sk: { S: 'INTENT' } } },
        },
      ],
    };
    expect(await invokeBundle('outbox-relay', event, { ...env, PAYMENTS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-dev' })).toEqual({
      batchItemFailures: [],
    });
  }, 60_000);
});
