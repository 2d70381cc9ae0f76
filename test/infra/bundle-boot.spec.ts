import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LambdaBundle } from '../../infra/lib/service-function.js';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lifecycleHarness } from '../support/lifecycle.js';
import { functionAssetDir, functionEnvironment, synthesize, type Synthesized } from './synth.js';

const run = promisify(execFile);

const API_KEY = 'boot-key';
const API_KEY_HASH = `events:${createHash('sha256').update(API_KEY).digest('hex')}`;
const TOPIC_ARN = 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-dev';
const INTENT_ID = '550e8400-e29b-41d4-a716-446655440000';

// Loads a synthesized asset in a FRESH node process (no jest, no ts-jest, no reflect-metadata
// preload) and invokes its handler with each event in turn, as one warm container would.
// The asset directory sits under the repository, so the external `@aws-sdk/*` imports resolve to
// node_modules as they resolve to the runtime's copy in Lambda.
async function invoke(assetDir: string, events: unknown[], env: Record<string, string>): Promise<unknown[]> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(join(assetDir, 'index.mjs')).href)});
    const results = [];
    for (const event of ${JSON.stringify(events)}) {
      results.push((await handler(event, { awsRequestId: 'boot-test', getRemainingTimeInMillis: () => 30000 })) ?? null);
    }
    process.stdout.write('\\nRESULTS ' + JSON.stringify(results) + '\\n');`;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
    // Only what a Lambda container would have: no AWS profile, no instance metadata.
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'ca-central-1', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    timeout: 60_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULTS '));
  if (!line) throw new Error(`no result from ${assetDir}:\n${stdout}\n${stderr}`);
  return JSON.parse(line.slice('RESULTS '.length)) as unknown[];
}

// A stand-in for SSM Parameter Store (JSON 1.1 protocol): serves the secrets in two pages.
function fakeSsm(parameters: Record<string, string>) {
  const requests: Array<Record<string, unknown>> = [];
  const entries = Object.entries(parameters).map(([name, value]) => ({ Name: `/payments/dev/${name}`, Type: 'SecureString', Value: value, Version: 1 }));
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = JSON.parse(body) as Record<string, unknown>;
      requests.push({ target: req.headers['x-amz-target'], ...request });
      const page = request.NextToken === 'page-2' ? { Parameters: entries.slice(1) } : { Parameters: entries.slice(0, 1), NextToken: 'page-2' };
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify(page));
    });
  });
  return { server, requests };
}

// A stand-in for SNS Publish: the client speaks AWS Query (form fields in, XML out; @aws-sdk/client-sns
// dist-cjs/index.js: AwsQueryProtocol, xmlNamespace http://sns.amazonaws.com/doc/2010-03-31/).
// Records each request's fields and answers with a MessageId, as SNS does.
function fakeSns() {
  const publishes: Array<Record<string, string>> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      publishes.push(form);
      const id = `m-${publishes.length}`;
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${id}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  return { server, publishes };
}

describe('the synthesized Lambda assets boot in a fresh node process', () => {
  let outdir: string;
  let synth: Synthesized;
  let table: TestTable;
  let ssm: ReturnType<typeof fakeSsm>;
  let ssmEndpoint: string;
  let testEnv: Record<string, string>;
  const asset = (bundle: LambdaBundle) => functionAssetDir(synth, bundle);

  beforeAll(async () => {
    mkdirSync('cdk.out', { recursive: true });
    outdir = mkdtempSync(join(process.cwd(), 'cdk.out', 'jest-boot-'));
    synth = synthesize('dev', { outdir });
    table = await createTestTable();
    ssm = fakeSsm({ TKH_API_KEY_HASH: API_KEY_HASH, TKH_WEBHOOK_SECRET: 'whsec-from-ssm', MOCK_WEBHOOK_SECRET: 'mock-from-ssm', TKH_API_KEY: 'tkh-from-ssm', TKH_BASE_URL: 'https://tkh.invalid' });
    await new Promise<void>((listening) => ssm.server.listen(0, '127.0.0.1', listening));
    ssmEndpoint = `http://127.0.0.1:${(ssm.server.address() as AddressInfo).port}`;
    testEnv = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      PAYMENTS_TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: table.endpoint,
      PUBLIC_BASE_URL: 'https://abc123.execute-api.ca-central-1.amazonaws.com/dev',
      TKH_API_KEY_HASH: API_KEY_HASH,
    };
  }, 180_000);

  afterAll(async () => {
    await table?.drop();
    await new Promise((closed) => ssm?.server.close(closed));
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  const getIntent = (headers: Record<string, string>) => apiGatewayEvent({ method: 'GET', path: `/api/v1/intents/${INTENT_ID}`, headers });
  const notFound = { statusCode: 404, error: 'NOT_FOUND', message: `PaymentIntent not found: ${INTENT_ID}` };

  it('API: GET /api/v1/intents/<id> answers a real 404 from DynamoDB Local (Nest DI intact)', async () => {
    const [result] = (await invoke(asset('api'), [getIntent({ 'X-API-Key': API_KEY })], testEnv)) as Array<{ statusCode: number; body: string }>;
    expect(result?.statusCode).toBe(404);
    expect(JSON.parse(result?.body ?? '')).toEqual(notFound);
  }, 60_000);

  it('API: validates request bodies with the class-validator the bundle carries (the rules we use, not its whole namespace)', async () => {
    // ADR 0020: the pipe is handed class-validator's functions; the bundle has no other copy.
    const create = (body: unknown) => apiGatewayEvent({ method: 'POST', path: '/api/v1/intents', body, headers: { 'X-API-Key': API_KEY } });
    const valid = { amount: 500000, currency: 'XOF', country: 'BJ', gatewayOverride: 'mock', metadata: { appId: 'events', referenceId: 'boot-1', phoneNumber: '+22961000000' } };
    const results = (await invoke(
      asset('api'),
      [
        create({ ...valid, amountt: 5 }),
        create({ ...valid, amount: undefined }),
        create({ ...valid, returnUrl: 'javascript:alert(1)' }),
        create({ ...valid, metadata: { appId: 'events' } }),
        create(valid),
      ],
      testEnv,
    )) as Array<{ statusCode: number; body: string }>;
    const bodies = results.map((r) => JSON.parse(r.body) as { message?: string; metadata?: Record<string, string> });
    expect(results.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 201]);
    expect(bodies.slice(0, 4).map((b) => b.message)).toEqual([
      'amountt is not an allowed field',
      'amount is required',
      'returnUrl must be an http(s) URL', // validator's isURL, bundled
      expect.stringMatching(/referenceId/),
    ]);
    // libphonenumber, bundled: Benin's 8-digit number read and stored in its 10-digit form (ADR 0004).
    expect(bodies[4]?.metadata?.phoneNumber).toBe('+2290161000000');
  }, 60_000);

  it('API: serves the OpenAPI document from the bundle (a chunk read on its first request; no file next to it)', async () => {
    const [result] = (await invoke(asset('api'), [apiGatewayEvent({ method: 'GET', path: '/api/v1/openapi.json' })], testEnv)) as Array<{ statusCode: number; body: string }>;
    expect(result?.statusCode).toBe(200);
    expect(JSON.parse(result?.body ?? '')).toMatchObject({ openapi: expect.any(String), paths: expect.objectContaining({ '/api/v1/openapi.json': expect.any(Object) }) });
  }, 60_000);

  it('API: serves Swagger UI from the files copied beside the bundle', async () => {
    const events = ['/docs', '/docs/swagger-ui.css'].map((path) => apiGatewayEvent({ method: 'GET', path }));
    const results = (await invoke(asset('api'), events, testEnv)) as Array<{ statusCode: number; body: string; isBase64Encoded?: boolean }>;
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    // The deployed asset carries the files (Lambda has no node_modules to fall back to).
    expect(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'].map((file) => existsSync(join(asset('api'), 'swagger-ui', file)))).toEqual([true, true, true]);
    const css = results[1]?.isBase64Encoded ? Buffer.from(results[1].body, 'base64').toString('utf8') : (results[1]?.body ?? '');
    expect(css).toContain('.swagger-ui');
  }, 60_000);

  it('API with the environment the dev stack sets: secrets come from SSM once per cold start; a key is required; the mock and the gateways SSM sets up exist', async () => {
    // The synthesized variables, with the CloudFormation references resolved to local stand-ins.
    const resolved: Record<string, string> = { PAYMENTS_TABLE_NAME: table.tableName, PAYMENTS_TOPIC_ARN: TOPIC_ARN, PUBLIC_BASE_URL: testEnv.PUBLIC_BASE_URL! };
    const synthesized = functionEnvironment(synth, 'api');
    const env = Object.fromEntries(Object.entries(synthesized).map(([name, value]) => [name, typeof value === 'string' ? value : resolved[name]]));
    expect(env).toMatchObject({ NODE_ENV: 'development', PAYMENTS_STAGE: 'dev', SSM_PARAMETER_PATH: '/payments/dev/', PUBLIC_BASE_URL: expect.any(String) });
    expect(env).not.toHaveProperty('TKH_API_KEY_HASH'); // a deployed stage refuses to start without it: it must come from SSM

    const gateways = (headers: Record<string, string>) => apiGatewayEvent({ method: 'GET', path: '/api/v1/gateways', headers });
    const events = [getIntent({ 'X-API-Key': API_KEY }), getIntent({ 'X-API-Key': 'wrong-key' }), gateways({}), gateways({ 'X-API-Key': API_KEY })];
    const results = (await invoke(asset('api'), events, {
      ...(env as Record<string, string>),
      DYNAMODB_ENDPOINT: table.endpoint,
      AWS_ENDPOINT_URL_SSM: ssmEndpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      LOG_LEVEL: 'error',
    })) as Array<{ statusCode: number; body: string }>;

    expect(results.map((r) => r.statusCode)).toEqual([404, 401, 401, 200]);
    expect(JSON.parse(results[0]?.body ?? '')).toEqual(notFound);
    // Both adapters were read from their own chunks (ADR 0020): TKH because SSM set it up.
    const listed = (JSON.parse(results[3]?.body ?? '{}') as { gateways: Array<{ id: string }> }).gateways.map((g) => g.id);
    expect(listed.sort()).toEqual(['mock', 'tkh']);
    // Two pages read, decrypted, recursively, at the first invocation only.
    expect(ssm.requests).toEqual([
      expect.objectContaining({ target: 'AmazonSSM.GetParametersByPath', Path: '/payments/dev/', WithDecryption: true, Recursive: true }),
      expect.objectContaining({ NextToken: 'page-2' }),
    ]);
  }, 60_000);

  it('outbox relay: a stream batch without outbox items is a clean no-op', async () => {
    const record = {
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber: '1', NewImage: { pk: { S: `INTENT#${INTENT_ID}` }, sk: { S: 'INTENT' } } },
    };
    expect(await invoke(asset('outbox-relay'), [{ Records: [record] }], { ...testEnv, PAYMENTS_TOPIC_ARN: TOPIC_ARN })).toEqual([{ batchItemFailures: [] }]);
  }, 60_000);

  it('outbox relay: publishes the event an intent holds and releases it (outbound webhooks loaded from their chunk)', async () => {
    const h = lifecycleHarness(table);
    const intent = await h.newIntent();
    await h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount, currency: intent.currency }, { gateway: 'mock', eventId: `boot-${intent.id}` });
    const key = { pk: `INTENT#${intent.id}`, sk: 'INTENT' };
    const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
    const record = { eventName: 'MODIFY', dynamodb: { SequenceNumber: '1', NewImage: marshall(Item!, { convertClassInstanceToMap: true }) } };
    const sns = fakeSns();
    await new Promise<void>((listening) => sns.server.listen(0, '127.0.0.1', listening));
    try {
      const results = await invoke(asset('outbox-relay'), [{ Records: [record] }], {
        ...testEnv,
        PAYMENTS_TOPIC_ARN: TOPIC_ARN,
        AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${(sns.server.address() as AddressInfo).port}`,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      });
      expect(results).toEqual([{ batchItemFailures: [] }]);
    } finally {
      await new Promise((closed) => sns.server.close(closed));
    }
    expect(sns.publishes).toHaveLength(1);
    expect(sns.publishes[0]).toMatchObject({ Action: 'Publish', TopicArn: TOPIC_ARN });
    expect(JSON.parse(sns.publishes[0]!.Message!)).toMatchObject({ type: 'payment.completed', intentId: intent.id, appId: intent.appId });
    // Released from the intent, listed in the event log: published once.
    const { Item: after } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
    expect(after).not.toHaveProperty('pendingEvents');
    expect((await h.outboxFor(intent.id)).map((event) => event.published)).toEqual([true]);
  }, 60_000);

  it('reconciler: a sweep over an empty table finds nothing to do', async () => {
    expect(await invoke(asset('reconcile'), [{}], { ...testEnv, PAYMENTS_TOPIC_ARN: TOPIC_ARN })).toEqual([
      { published: 0, failed: 0, intentsSettled: 0, refundsSettled: 0, disbursementsSettled: 0, webhooksAttempted: 0 },
    ]);
  }, 60_000);

  it('auto-disburser: a payment.completed for an unknown intent is logged and acknowledged', async () => {
    const message = { type: 'payment.completed', eventId: 'evt-1', intentId: INTENT_ID, gateway: 'kkiapay', appId: 'events', amount: 500000, currency: 'XOF' };
    const event = { Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify(message), MessageAttributes: {} } }] };
    expect(await invoke(asset('auto-disburse'), [event], { ...testEnv, PAYMENTS_TOPIC_ARN: TOPIC_ARN })).toEqual([null]);
  }, 60_000);
});
