import { afterEach, describe, expect, it } from '@jest/globals';
import { toIntentResponse } from '../../../src/api/intent.response.js';
import { PaymentsApiError, PaymentsClient, PaymentsNetworkError, type CreateIntentRequest } from '../../../src/sdk/index.js';
import { sampleIntent } from '../../support/intents.js';
import { fakeApi, type Reply } from './fake-api.js';

const intentBody = toIntentResponse(sampleIntent());
const request: CreateIntentRequest = {
  amount: 500000,
  currency: 'XOF',
  country: 'BJ',
  metadata: { appId: 'kaba', referenceId: 'invoice-abc123' },
  useWidget: true,
};
const error = (statusCode: number, code: string, message: string) => ({ status: statusCode, body: { statusCode, error: code, message } });

describe('PaymentsClient', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  const waits: number[] = [];
  const client = (options: { retries?: number; timeoutMs?: number } = {}) =>
    new PaymentsClient({ baseUrl: `${api.baseUrl}/`, apiKey: 'kaba-key', sleep: async (ms) => void waits.push(ms), ...options });
  const start = async (replies: Reply[]) => {
    waits.length = 0;
    api = await fakeApi(replies);
  };
  afterEach(async () => api.close());

  it('sends the key, the body (useWidget included) and one Idempotency-Key; answers the typed intent', async () => {
    await start([{ status: 201, body: intentBody }]);
    const intent = await client().createIntent(request);
    expect(intent).toEqual(intentBody);
    const [sent] = api.received;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/api/v1/intents');
    expect(sent?.headers['x-api-key']).toBe('kaba-key');
    expect(sent?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(sent?.body ?? '')).toEqual(request);
  });

  it('retries network errors, 5xx and 429 with exponential backoff, reusing one Idempotency-Key', async () => {
    await start([
      'reset',
      error(503, 'INTERNAL_ERROR', 'busy'),
      { ...error(429, 'RATE_LIMITED', 'slow down'), headers: { 'Retry-After': '3' } },
      { status: 201, body: intentBody },
    ]);
    const intent = await client({ retries: 3 }).createIntent(request);
    expect(intent.id).toBe(intentBody.id);
    const keys = api.received.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
    // 250, 500, then max(1000, Retry-After 3 s).
    expect(waits).toEqual([250, 500, 3000]);
  });

  it('uses the caller\'s Idempotency-Key, and a new one for each logical call', async () => {
    await start([{ status: 201, body: intentBody }, { status: 201, body: intentBody }, { status: 201, body: intentBody }]);
    const c = client();
    await c.createIntent(request, { idempotencyKey: 'order-42' });
    await c.createIntent(request);
    await c.createIntent(request);
    const [first, second, third] = api.received.map((r) => r.headers['idempotency-key']);
    expect(first).toBe('order-42');
    expect(second).not.toBe(third);
  });

  it('retries a 409 "still in progress" (its first try still runs) but no other 4xx', async () => {
    await start([error(409, 'CONFLICT', 'A request with this Idempotency-Key is still in progress; retry shortly'), { status: 201, body: intentBody }]);
    await expect(client().createIntent(request)).resolves.toEqual(intentBody);

    await api.close();
    await start([error(409, 'CONFLICT', 'Idempotency-Key reused with another body'), error(400, 'VALIDATION_ERROR', 'amount is required')]);
    await expect(client().createIntent(request)).rejects.toMatchObject({ statusCode: 409, error: 'CONFLICT' });
    await expect(client().createIntent(request)).rejects.toMatchObject({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'amount is required' });
    expect(api.received).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('throws PaymentsApiError with the service\'s statusCode, error and message', async () => {
    await start([error(404, 'NOT_FOUND', 'PaymentIntent not found: abc')]);
    const thrown = await client().getIntent('abc').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(PaymentsApiError);
    expect(thrown).toMatchObject({ statusCode: 404, error: 'NOT_FOUND', message: 'PaymentIntent not found: abc', idempotencyKey: null });
    expect(api.received[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('does not retry our own 502 (a certain gateway refusal) but retries a proxy\'s 502', async () => {
    await start([error(502, 'PAYMENT_GATEWAY_ERROR', 'declined'), { status: 502, body: '<html>Bad gateway</html>' }, { status: 201, body: intentBody }]);
    await expect(client().createIntent(request)).rejects.toMatchObject({ statusCode: 502, error: 'PAYMENT_GATEWAY_ERROR' });
    await expect(client().createIntent(request)).resolves.toEqual(intentBody);
  });

  it('gives up after the retries with the last error', async () => {
    await start([error(500, 'INTERNAL_ERROR', 'a'), error(500, 'INTERNAL_ERROR', 'b'), error(500, 'INTERNAL_ERROR', 'c')]);
    await expect(client({ retries: 2 }).listGateways()).rejects.toMatchObject({ statusCode: 500, message: 'c' });
    expect(api.received).toHaveLength(3);
  });

  it('times out each attempt and retries it with the same key', async () => {
    await start(['hang', { status: 201, body: { id: 'r1' } }]);
    const refund = await client({ timeoutMs: 200 }).refund(intentBody.id, { amount: 100 });
    expect(refund).toEqual({ id: 'r1' });
    const [first, second] = api.received;
    expect(first?.headers['idempotency-key']).toBe(second?.headers['idempotency-key']);
    expect(second?.url).toBe(`/api/v1/intents/${intentBody.id}/refund`);
  });

  it('reports a timeout as PaymentsNetworkError { timedOut } carrying the key to retry with', async () => {
    await start(['hang']);
    const thrown = await client({ timeoutMs: 100, retries: 0 }).createIntent(request, { idempotencyKey: 'k-1' }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(PaymentsNetworkError);
    expect(thrown).toMatchObject({ timedOut: true, idempotencyKey: 'k-1' });
  });

  it('builds every route', async () => {
    await start(Array.from({ length: 8 }, () => ({ status: 200, body: {} })));
    const c = client();
    await c.listIntents({ referenceId: 'invoice 1/2', status: 'succeeded', limit: 5, cursor: 'abc' });
    await c.cancelIntent('i-1');
    await c.verifyKkiapay({ transactionId: 't', intentId: 'i-1' });
    await c.createDisbursement({ amount: 1, currency: 'XOF', country: 'BJ', phoneNumber: '+22961000000', appId: 'kaba', referenceId: 'p-1' });
    await c.getDisbursement('d-1');
    await c.listGateways();
    await c.getIntent('i-1');
    await c.confirmRefund('i-1', 'r-1', 'succeeded');
    expect(api.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/intents?referenceId=invoice+1%2F2&status=succeeded&limit=5&cursor=abc',
      'POST /api/v1/intents/i-1/cancel',
      'POST /api/v1/intents/verify-kkiapay',
      'POST /api/v1/disbursements',
      'GET /api/v1/disbursements/d-1',
      'GET /api/v1/gateways',
      'GET /api/v1/intents/i-1',
      'POST /api/v1/intents/i-1/refunds/r-1/confirm',
    ]);
    expect(api.received[1]?.body).toBe('');
  });
});
