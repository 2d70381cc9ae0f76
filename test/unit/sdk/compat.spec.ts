import { afterEach, describe, expect, it } from '@jest/globals';
import { toIntentResponse } from '../../../src/api/intent.response.js';
import { CompatPaymentsClient } from '../../../src/sdk/index.js';
import { sampleIntent } from '../../support/intents.js';
import { fakeApi, type Reply } from './fake-api.js';

const intentBody = toIntentResponse(sampleIntent());
const request = { amount: 500000, currency: 'XOF' as const, country: 'BJ', metadata: { appId: 'kaba', referenceId: 'invoice-abc123' } };

// Seed 001's PaymentsClient results: { success, intentId, paymentUrl, clientSecret, error } …
describe('CompatPaymentsClient', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  const start = async (replies: Reply[]) => (api = await fakeApi(replies));
  const client = () => new CompatPaymentsClient({ baseUrl: api.baseUrl, apiKey: 'k', sleep: async () => undefined, retries: 1 });
  afterEach(async () => api.close());

  it('createIntent answers the contract\'s fields, plus paymentMode and the intent', async () => {
    await start([{ status: 201, body: intentBody }]);
    expect(await client().createIntent(request)).toEqual({
      success: true,
      intentId: intentBody.id,
      paymentUrl: intentBody.paymentUrl,
      clientSecret: undefined,
      paymentMode: 'redirect',
      intent: intentBody,
    });
  });

  it('never throws: an API error is { success: false, error: <the service\'s message> }', async () => {
    await start([{ status: 404, body: { statusCode: 404, error: 'NOT_FOUND', message: 'PaymentIntent not found: x' } }]);
    expect(await client().getIntent('x')).toEqual({ success: false, error: 'PaymentIntent not found: x', statusCode: 404, errorCode: 'NOT_FOUND' });
  });

  it('never throws: an unreachable service is { success: false, error }', async () => {
    await start([]);
    const baseUrl = api.baseUrl;
    await api.close();
    await start([]);
    const result = await new CompatPaymentsClient({ baseUrl, apiKey: 'k', retries: 0 }).createIntent(request);
    expect(result.success).toBe(false);
    expect(result.error).toMatch(/unreachable/);
  });

  it('refund and verifyKkiapay answer { success, refund } and { success, verified, intent }', async () => {
    await start([{ status: 201, body: { id: 'r1' } }, { status: 200, body: { verified: true, intent: intentBody } }]);
    expect(await client().refund(intentBody.id, 100, 'partial')).toEqual({ success: true, refund: { id: 'r1' } });
    expect(JSON.parse(api.received[0]?.body ?? '')).toEqual({ amount: 100, reason: 'partial' });
    expect(await client().verifyKkiapay('t-1', intentBody.id)).toEqual({ success: true, verified: true, intent: intentBody });
  });

  it('reads PAYMENTS_SERVICE_URL and TKH_PAYMENTS_API_KEY like the contract when given no options', async () => {
    await start([{ status: 200, body: { ...intentBody, refundedAmount: 0 } }]);
    const saved = { url: process.env.PAYMENTS_SERVICE_URL, key: process.env.TKH_PAYMENTS_API_KEY };
    process.env.PAYMENTS_SERVICE_URL = api.baseUrl;
    process.env.TKH_PAYMENTS_API_KEY = 'env-key';
    try {
      expect((await new CompatPaymentsClient().getIntent(intentBody.id)).success).toBe(true);
      expect(api.received[0]?.headers['x-api-key']).toBe('env-key');
      delete process.env.PAYMENTS_SERVICE_URL;
      expect(() => new CompatPaymentsClient()).toThrow('PAYMENTS_SERVICE_URL is not configured');
    } finally {
      if (saved.url === undefined) delete process.env.PAYMENTS_SERVICE_URL;
      else process.env.PAYMENTS_SERVICE_URL = saved.url;
      if (saved.key === undefined) delete process.env.TKH_PAYMENTS_API_KEY;
      else process.env.TKH_PAYMENTS_API_KEY = saved.key;
    }
  });
});
