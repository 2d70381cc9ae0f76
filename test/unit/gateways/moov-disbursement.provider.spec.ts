import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GatewayError, type DisburseInput } from '../../../src/gateways/gateway.js';
import { MOOV_TIMEOUT_MS, MoovDisbursementProvider, type MoovSettings } from '../../../src/gateways/moov/moov-disbursement.provider.js';
import { moovRequestUrl, parseMoovAnswer } from '../../../src/gateways/moov/moov-soap.js';
import { moovToken } from '../../../src/gateways/moov/moov-token.js';
import { closedPortUrl, FakeGatewayServer, type FakeResponse } from '../../support/fake-gateway-server.js';
import { MOOV_PATH, MOOV_ROUTE, MOOV_TEST_KEY, MoovFake } from '../../support/fakes/moov-fake.js';

// The sample merchant key and the token vectors published by the two public SDKs
// (Brainsial/moov-money-api-sdk tests/security, v1p3r75/moov-money-api-php-sdk tests/Feature/Security).
const KEY = 'tlc12345tlc12345tlc12345tlc12345';
const TOKEN_MYUSERNAME = '7a1FPyjZ4eqAhFIoHpLumttby9GoBPGuwV5AIaB22tc=';
const TOKEN_USERNAME = 'hnTyz1stTsRO8PxwCssFHwwUakVCzRFeJ4Ms/F9cem0=';
const PATH = '/com.tlc.merchant.api/UssdPush';

const settingsFor = (endpointUrl: string | null): MoovSettings => ({
  endpointUrl,
  username: 'myusername',
  password: 'mypassword',
  encryptionKey: KEY,
  namespace: 'http://api.merchant.tlc.com/',
});
const input: DisburseInput = { disbursementId: 'd-1', amount: 500000, currency: 'XOF', phoneNumber: '+2290197222222', note: 'kaba inv-1' };

// Answers shaped like the SDKs' recorded samples (JAX-WS: soap:Envelope, ns2: operation response).
const soapAnswer = (operation: string, wrapper: string, fields: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
  `<ns2:${operation}Response xmlns:ns2="http://api.merchant.tlc.com/"><${wrapper}>${fields}</${wrapper}></ns2:${operation}Response>` +
  '</soap:Body></soap:Envelope>';
const cashInAnswer = (status: string, transid: string | null = '020190628000017') =>
  soapAnswer('cashintrans', 'return', `<message>Vous avez envoye 500.00 FCFA a 2290197222222.</message><referenceid>d-1</referenceid><status>${status}</status>${transid === null ? '' : `<transid>${transid}</transid>`}`);
const statusAnswer = (status: string) =>
  soapAnswer('getTransactionStatus', 'response', `<description>SUCCESS</description><referenceid>020190628000017</referenceid><status>${status}</status>`);
const xml = (body: string, status = 200): FakeResponse => ({ status, body, headers: { 'content-type': 'text/xml; charset=utf-8' } });

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(outcome)}`);
  return outcome;
}

describe('Moov token (community-sourced AES-256-CBC, zero IV)', () => {
  it('matches the token vectors both public SDKs publish', () => {
    expect(moovToken('myusername', 'mypassword', KEY)).toBe(TOKEN_MYUSERNAME);
    expect(moovToken('username', 'password', KEY)).toBe(TOKEN_USERNAME);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => moovToken('u', 'p', 'short-key')).toThrow(RangeError);
  });
});

describe('parseMoovAnswer', () => {
  it('reads <status> or <statuscode>, whatever the prefixes, and ignores absent ids', () => {
    expect(parseMoovAnswer(cashInAnswer('0'))).toEqual({ statusCode: 0, transactionId: '020190628000017', referenceId: 'd-1' });
    expect(parseMoovAnswer('<return><statuscode> 100 </statuscode><referenceid>MV-1</referenceid></return>')).toEqual({
      statusCode: 100,
      transactionId: null,
      referenceId: 'MV-1',
    });
    expect(parseMoovAnswer('<x:return><x:subscriberstatus>7</x:subscriberstatus><x:status>-1</x:status><transid/></x:return>')).toEqual({
      statusCode: -1,
      transactionId: null,
      referenceId: null,
    });
    expect(parseMoovAnswer('<html>Bad gateway</html>').statusCode).toBeNull();
  });
});

describe('MoovDisbursementProvider (SOAP UssdPush, community-sourced)', () => {
  const fake = new FakeGatewayServer();
  let moov: MoovDisbursementProvider;

  beforeAll(async () => {
    moov = new MoovDisbursementProvider(settingsFor(`${await fake.start()}${PATH}`));
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.on(`POST ${PATH}`, xml(cashInAnswer('0')));
  });
  afterAll(async () => {
    await fake.stop();
  });

  describe('isConfigured', () => {
    it('is true only with the endpoint, username, password and a 32-byte key', () => {
      expect(moov.isConfigured()).toBe(true);
      for (const field of ['endpointUrl', 'username', 'password', 'encryptionKey'] as const) {
        expect(new MoovDisbursementProvider({ ...settingsFor('http://127.0.0.1:9'), [field]: null }).isConfigured()).toBe(false);
      }
      expect(new MoovDisbursementProvider({ ...settingsFor('http://127.0.0.1:9'), encryptionKey: 'tlc12345' }).isConfigured()).toBe(false);
    });

    it('sends nothing when not configured', async () => {
      const off = new MoovDisbursementProvider({ ...settingsFor(fake.baseUrl + PATH), password: null });
      expect(await rejection(off.disburse(input))).toMatchObject({ gateway: 'moov', kind: 'auth', createdNothing: true });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('disburse (cashintrans)', () => {
    it('posts the exact SOAP envelope: operation, namespace, token, MSISDN without +, francs', async () => {
      expect(await moov.disburse(input)).toEqual({ status: 'succeeded', providerReference: '020190628000017' });
      expect(fake.requests).toHaveLength(1);
      const sent = fake.last();
      expect(sent.method).toBe('POST');
      expect(sent.path).toBe(PATH);
      expect(sent.headers['content-type']).toBe('application/soap+xml; charset=utf-8');
      expect(sent.headers.soapaction).toBeUndefined();
      expect(sent.rawBody).toBe(
        '<?xml version="1.0" encoding="utf-8"?>' +
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:api="http://api.merchant.tlc.com/">' +
          '<soapenv:Header/><soapenv:Body><api:cashintrans>' +
          `<token>${TOKEN_MYUSERNAME}</token>` +
          '<request><amount>500000</amount><destination>2290197222222</destination><referenceid>d-1</referenceid><remarks>kaba inv-1</remarks></request>' +
          '</api:cashintrans></soapenv:Body></soapenv:Envelope>',
      );
    });

    it('uses the configured namespace and escapes the note', async () => {
      const custom = new MoovDisbursementProvider({ ...settingsFor(fake.baseUrl + PATH), namespace: 'http://api.example.test/' });
      await custom.disburse({ ...input, note: 'a<b & "c"' });
      expect(fake.last().rawBody).toContain('xmlns:api="http://api.example.test/"');
      expect(fake.last().rawBody).toContain('<remarks>a&lt;b &amp; &quot;c&quot;</remarks>');
    });

    it.each([
      ['0', { status: 'succeeded', providerReference: '020190628000017' }],
      ['100', { status: 'pending', providerReference: '020190628000017' }],
      ['7', { status: 'failed', providerReference: '020190628000017', failureReason: 'moov status 7' }],
      ['555', { status: 'failed', providerReference: '020190628000017', failureReason: 'moov status 555' }],
    ])('maps status %s', async (code, expected) => {
      fake.on(`POST ${PATH}`, xml(cashInAnswer(code)));
      expect(await moov.disburse(input)).toEqual(expected);
    });

    it('falls back to our disbursement id as the reference when Moov gives no transid', async () => {
      fake.on(`POST ${PATH}`, xml(cashInAnswer('100', null)));
      expect(await moov.disburse(input)).toEqual({ status: 'pending', providerReference: 'd-1' });
    });

    it('turns a rejected token into an auth error and "system busy" / an unreadable answer into ambiguous errors', async () => {
      fake.on(`POST ${PATH}`, xml(cashInAnswer('98')));
      expect(await rejection(moov.disburse(input))).toMatchObject({ kind: 'auth', retryable: false, createdNothing: true });
      for (const busy of ['99', '-1']) {
        fake.on(`POST ${PATH}`, xml(cashInAnswer(busy)));
        expect(await rejection(moov.disburse(input))).toMatchObject({ kind: 'unavailable', createdNothing: false });
      }
      fake.on(`POST ${PATH}`, xml('<html>maintenance</html>'));
      expect(await rejection(moov.disburse(input))).toMatchObject({ kind: 'unavailable', retryable: false, createdNothing: false });
    });

    it.each([
      ['a non-XOF currency', { currency: 'EUR' as const }],
      ['a fractional amount', { amount: 10.5 }],
      ['a zero amount', { amount: 0 }],
      ['a phone number that is not E.164', { phoneNumber: '+229 01-97' }],
    ])('rejects %s without calling Moov', async (_case, change) => {
      expect(await rejection(moov.disburse({ ...input, ...change }))).toMatchObject({ gateway: 'moov', kind: 'invalid_request', createdNothing: true });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('getDisbursementStatus (getTransactionStatus)', () => {
    it('posts getTransactionStatus with the reference as <transid>', async () => {
      fake.on(`POST ${PATH}`, xml(statusAnswer('0')));
      expect(await moov.getDisbursementStatus('020190628000017')).toEqual({ status: 'succeeded', providerReference: '020190628000017' });
      const sent = fake.last();
      expect(sent.headers.soapaction).toBeUndefined();
      expect(sent.rawBody).toContain(
        `<soapenv:Body><api:getTransactionStatus><token>${TOKEN_MYUSERNAME}</token><request><transid>020190628000017</transid></request></api:getTransactionStatus></soapenv:Body>`,
      );
    });

    it.each([
      ['0', 'succeeded'],
      ['100', 'pending'],
      ['95', 'failed'],
    ])('maps status %s to %s', async (code, expected) => {
      fake.on(`POST ${PATH}`, xml(statusAnswer(code)));
      expect((await moov.getDisbursementStatus('020190628000017')).status).toBe(expected);
    });

    it('never reads "system busy" or an unreadable answer as a final status', async () => {
      fake.on(`POST ${PATH}`, xml(statusAnswer('99')));
      expect(await rejection(moov.getDisbursementStatus('020190628000017'))).toMatchObject({ kind: 'unavailable', retryable: true });
      fake.on(`POST ${PATH}`, xml(''));
      expect(await rejection(moov.getDisbursementStatus('020190628000017'))).toMatchObject({ kind: 'unavailable', retryable: true });
    });
  });

  describe('transport errors', () => {
    it('classifies HTTP 500 (a SOAP fault) as unavailable, without the body, credentials or token in the message', async () => {
      fake.on(`POST ${PATH}`, xml(`<soap:Fault><faultstring>bad token ${TOKEN_MYUSERNAME} mypassword</faultstring></soap:Fault>`, 500));
      const error = await rejection(moov.disburse(input));
      expect(error).toMatchObject({ gateway: 'moov', kind: 'unavailable', retryable: true });
      expect(error.message).toBe('moov cashintrans: HTTP 500');
      for (const secret of [TOKEN_MYUSERNAME, 'mypassword', 'myusername', KEY]) expect(error.message).not.toContain(secret);
    });

    it('classifies HTTP 401 as auth', async () => {
      fake.on(`POST ${PATH}`, xml('', 401));
      expect(await rejection(moov.getDisbursementStatus('x'))).toMatchObject({ kind: 'auth', retryable: false });
    });

    it('classifies a closed port as unavailable and certainly not sent', async () => {
      const down = new MoovDisbursementProvider(settingsFor(`${await closedPortUrl()}${PATH}`));
      const error = await rejection(down.disburse(input));
      expect(error).toMatchObject({ gateway: 'moov', kind: 'unavailable', retryable: true, createdNothing: true });
      expect(error.message).not.toContain('mypassword');
    });
  });
});

describe('Moov transport (as both community SDKs send it)', () => {
  it('adds ?wsdl to the configured endpoint unless its query already names it', () => {
    expect(moovRequestUrl('https://apimarchand.moov-africa.bj/com.tlc.merchant.api/UssdPush')).toBe('https://apimarchand.moov-africa.bj/com.tlc.merchant.api/UssdPush?wsdl');
    expect(moovRequestUrl('https://h.test/UssdPush?wsdl')).toBe('https://h.test/UssdPush?wsdl');
    expect(moovRequestUrl('https://h.test/UssdPush?WSDL&x=1')).toBe('https://h.test/UssdPush?WSDL&x=1&wsdl');
    expect(moovRequestUrl('https://h.test/UssdPush?x=1')).toBe('https://h.test/UssdPush?x=1&wsdl');
    expect(moovRequestUrl('https://h.test/UssdPush?')).toBe('https://h.test/UssdPush?wsdl');
  });

  it('waits 25 s by default: longer than gatewayFetch\'s 10 s, inside the 29 s API Lambda', () => {
    expect(MOOV_TIMEOUT_MS).toBe(25_000);
  });

  describe('against the strict Moov fake', () => {
    const moovFake = new MoovFake({ username: 'merchant', password: 'pw' });
    const settings = (endpointUrl: string): MoovSettings => ({ endpointUrl, username: 'merchant', password: 'pw', encryptionKey: MOOV_TEST_KEY, namespace: 'http://api.merchant.tlc.com/' });
    const post = (init: { url?: string; headers: Record<string, string> }) =>
      fetch(init.url ?? `${moovFake.baseUrl}${MOOV_PATH}?wsdl`, { method: 'POST', headers: init.headers, body: '<soapenv:Envelope/>' });

    beforeAll(async () => {
      await moovFake.start();
    });
    afterAll(async () => {
      await moovFake.stop();
    });

    it('pays once through POST …/UssdPush?wsdl, application/soap+xml, no SOAPAction', async () => {
      const moov = new MoovDisbursementProvider(settings(`${moovFake.baseUrl}${MOOV_PATH}`));
      expect(await moov.disburse(input)).toMatchObject({ status: 'succeeded' });
      const sent = moovFake.requests.at(-1);
      expect(sent?.query.has('wsdl')).toBe(true);
      expect(sent?.headers['content-type']).toBe('application/soap+xml; charset=utf-8');
      expect(sent?.headers.soapaction).toBeUndefined();
      expect(moovFake.cashIns('d-1')).toBe(1);
    });

    it('the fake refuses the old transport before any effect: text/xml, a SOAPAction header, the URL without ?wsdl', async () => {
      const before = moovFake.transfers.length;
      expect((await post({ headers: { 'content-type': 'text/xml; charset=utf-8' } })).status).toBe(415);
      expect((await post({ headers: { 'content-type': 'application/soap+xml; charset=utf-8', soapaction: '""' } })).status).toBe(400);
      expect((await post({ url: `${moovFake.baseUrl}${MOOV_PATH}`, headers: { 'content-type': 'application/soap+xml; charset=utf-8' } })).status).toBe(404);
      expect(moovFake.transfers.length).toBe(before);
      expect(MOOV_ROUTE).toBe(`POST ${MOOV_PATH}`);
    });
  });
});
