import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { FakeGatewayServer } from '../fake-gateway-server.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { HostileRequest } from './hostile-arbitraries.js';

export interface HostileFigures {
  requests: number;
  fiveXx: number;
  offShape: number;
  strayRecords: number;
  statuses: Record<number, number>;
  // The first few failures, to reproduce them.
  examples: string[];
}

export const SECRETS = { mock: 'mock-hostile-secret', tkh: 'tkh-hostile-secret', stripe: 'whsec_hostile', paystack: 'sk_test_hostile', kkiapay: 'kkia-hostile-secret' };

// Every gateway configured against a local fake that answers like a healthy gateway (so a valid
// create succeeds and a 5xx can only be ours), every webhook secret set, budgets raised so the
// flood measures the routes rather than the rate limit (which has its own e2e test).
export async function startHostileApp(): Promise<{ t: TestApp; fake: FakeGatewayServer }> {
  const fake = new FakeGatewayServer();
  fake.on('POST /v1/payment_intents', { status: 200, body: { id: 'pi_h', object: 'payment_intent', amount: 1, currency: 'usd', client_secret: 'pi_h_secret', status: 'requires_payment_method', metadata: {} } });
  fake.on('POST /transaction/initialize', { status: 200, body: { status: true, data: { authorization_url: 'https://checkout.paystack.test/x', access_code: 'x', reference: 'r' } } });
  fake.on('GET /transaction/verify/*', { status: 200, body: { status: true, data: { status: 'abandoned' } } });
  fake.on('POST /api/v1/transactions/status', { status: 200, body: { status: 'PENDING' } });
  fake.on('POST /collection/token/', { status: 200, body: { access_token: 't', token_type: 'access_token', expires_in: 3600 } });
  fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
  fake.on('GET /collection/v1_0/requesttopay/*', { status: 200, body: { status: 'PENDING' } });
  fake.on('POST /v1/checkouts', { status: 201, body: { id: 'chk_h', url: 'https://pay.tkh.test/chk_h' } });
  const base = await fake.start();
  const t = await startTestApp(
    {
      MOCK_WEBHOOK_SECRET: SECRETS.mock,
      STRIPE_SECRET_KEY: 'sk_test_hostile',
      STRIPE_WEBHOOK_SECRET: SECRETS.stripe,
      STRIPE_API_BASE_URL: base,
      PAYSTACK_SECRET_KEY: SECRETS.paystack,
      PAYSTACK_BASE_URL: base,
      TKH_BASE_URL: base,
      TKH_API_KEY: 'tkh_key',
      TKH_WEBHOOK_SECRET: SECRETS.tkh,
      KKIAPAY_PUBLIC_KEY: 'pk',
      KKIAPAY_PRIVATE_KEY: 'tpk',
      KKIAPAY_SECRET_KEY: 'tsk',
      KKIAPAY_WEBHOOK_SECRET: SECRETS.kkiapay,
      KKIAPAY_BASE_URL: base,
      MOMO_BASE_URL: base,
      MOMO_TARGET_ENVIRONMENT: 'mtnghana',
      MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub',
      MOMO_COLLECTION_API_USER: 'user',
      MOMO_COLLECTION_API_KEY: 'key',
      MOOV_ENDPOINT_URL: base,
    },
    { rateLimits: { api: { limit: 1_000_000, ttlMs: 60_000 }, perApiKey: { limit: 1_000_000, ttlMs: 60_000, perApp: {} }, webhooks: { limit: 1_000_000, ttlMs: 60_000 } } },
  );
  return { t, fake };
}

export const itemCount = async (t: TestApp): Promise<number> =>
  (await t.table.db.send(new ScanCommand({ TableName: t.table.tableName, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;

export const emptyFigures = (): HostileFigures => ({ requests: 0, fiveXx: 0, offShape: 0, strayRecords: 0, statuses: {}, examples: [] });

// Sends one request and records what broke the rules: a 5xx, an error body not shaped
// { statusCode, error, message }, or an item stored by a request that was rejected.
export async function sendAndCheck(t: TestApp, req: HostileRequest, figures: HostileFigures): Promise<void> {
  const before = await itemCount(t);
  const method = req.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch';
  let test = request(t.app.getHttpServer())[method](req.path);
  for (const [name, value] of Object.entries(req.headers)) test = test.set(name, value);
  const res = req.body === undefined ? await test : await test.send(req.body);
  figures.requests += 1;
  figures.statuses[res.status] = (figures.statuses[res.status] ?? 0) + 1;
  const problems: string[] = [];
  if (res.status >= 500) {
    figures.fiveXx += 1;
    problems.push('5xx');
  }
  if (res.status >= 400 && !errorShaped(res.status, res.body)) {
    figures.offShape += 1;
    problems.push('off-shape');
  }
  if (res.status >= 400 && (await itemCount(t)) !== before) {
    figures.strayRecords += 1;
    problems.push('stray record');
  }
  if (problems.length > 0 && figures.examples.length < 5) {
    const body = req.body === undefined ? '' : String(req.body).slice(0, 200);
    figures.examples.push(`${problems.join(',')}: ${req.method} ${req.path.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)} body=${body}`);
  }
}

function errorShaped(status: number, body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const { statusCode, error, message, ...rest } = body as Record<string, unknown>;
  return statusCode === status && typeof error === 'string' && typeof message === 'string' && Object.keys(rest).length === 0;
}

export const describeFigures = (label: string, f: HostileFigures): string =>
  `${label}: ${f.requests} requests, ${f.fiveXx} 5xx, ${f.offShape} off-shape, ${f.strayRecords} stray records; statuses ${JSON.stringify(f.statuses)}` +
  (f.examples.length > 0 ? `\n  ${f.examples.join('\n  ')}` : '');
