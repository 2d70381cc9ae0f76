import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MoovDisbursementProvider, type MoovSettings } from '../../../src/gateways/moov/moov-disbursement.provider.js';
import { closedPortUrl, FakeGatewayServer } from '../../support/fake-gateway-server.js';

const KEY = 'tlc12345tlc12345tlc12345tlc12345';
const settings = (endpointUrl: string | null): MoovSettings => ({
  endpointUrl,
  username: 'merchant',
  password: 's3cret',
  encryptionKey: KEY,
  namespace: 'http://api.merchant.tlc.com/',
});
const answer = (code: number, reference = 'MOOV-123') =>
  `<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:cashintransResponse xmlns:ns2="http://api.merchant.tlc.com/"><return><statuscode>${code}</statuscode><referenceid>${reference}</referenceid><description>ok</description></return></ns2:cashintransResponse></S:Body></S:Envelope>`;
const input = { disbursementId: 'd-1', amount: 500000, currency: 'XOF' as const, phoneNumber: '+2290197222222', note: 'kaba inv-1' };

describe('Moov Africa payouts (SOAP, community-sourced)', () => {
  const fake = new FakeGatewayServer();
  let moov: MoovDisbursementProvider;
  let code = 0;

  beforeAll(async () => {
    fake.on('POST /com.tlc.merchant.api/UssdPush', () => ({ status: 200, body: answer(code), headers: { 'content-type': 'text/xml' } }));
    moov = new MoovDisbursementProvider(settings(`${await fake.start()}/com.tlc.merchant.api/UssdPush`));
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('is off without every credential', () => {
    expect(moov.isConfigured()).toBe(true);
    expect(new MoovDisbursementProvider({ ...settings('http://x'), encryptionKey: null }).isConfigured()).toBe(false);
    expect(new MoovDisbursementProvider(settings(null)).isConfigured()).toBe(false);
  });

  it('sends cashintrans with the encrypted token, the MSISDN without + and the amount in francs', async () => {
    code = 0;
    expect(await moov.disburse(input)).toEqual({ status: 'succeeded', providerReference: 'MOOV-123' });
    const sent = fake.last();
    expect(sent.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(sent.headers.soapaction).toBe('"cashintrans"');
    expect(sent.rawBody).toContain('<api:cashintrans><token>');
    expect(sent.rawBody).toContain('<request><amount>500000</amount><destination>2290197222222</destination><referenceid>d-1</referenceid><remarks>kaba inv-1</remarks></request>');
    expect(sent.rawBody).toContain('xmlns:api="http://api.merchant.tlc.com/"');
    const token = /<token>([^<]+)<\/token>/.exec(sent.rawBody)?.[1] ?? '';
    const decipher = createDecipheriv('aes-256-cbc', Buffer.from(KEY), Buffer.alloc(16, 0));
    expect(Buffer.concat([decipher.update(token, 'base64'), decipher.final()]).toString()).toBe('0:merchant:s3cret');
  });

  it.each([
    [100, 'pending'],
    [0, 'succeeded'],
    [7, 'failed'],
  ])('maps status code %i to %s (also for getTransactionStatus)', async (statusCode, expected) => {
    code = statusCode;
    expect((await moov.disburse(input)).status).toBe(expected);
    expect((await moov.getDisbursementStatus('MOOV-123')).status).toBe(expected);
    expect(fake.last().rawBody).toContain('<api:getTransactionStatus><token>');
    expect(fake.last().rawBody).toContain('<request><transid>MOOV-123</transid></request>');
  });

  it('refuses non-XOF payouts without calling Moov', async () => {
    const before = fake.requests.length;
    await expect(moov.disburse({ ...input, currency: 'EUR' })).rejects.toMatchObject({ kind: 'invalid_request', gateway: 'moov' });
    expect(fake.requests.length).toBe(before);
  });

  it('classifies HTTP and network failures, without credentials in the message', async () => {
    const down = new MoovDisbursementProvider(settings(await closedPortUrl()));
    await expect(down.disburse(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: true });
    const failing = new FakeGatewayServer().on('POST /soap', { status: 500, body: '<faultstring>bad s3cret</faultstring>' });
    const error = (await new MoovDisbursementProvider(settings(`${await failing.start()}/soap`)).disburse(input).then(
      () => new Error('resolved'),
      (e: unknown) => e as Error,
    )) as Error & { kind?: string };
    expect(error.kind).toBe('unavailable');
    expect(error.message).not.toContain('s3cret');
    await failing.stop();
  });
});
