import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { CreatePaymentInput, DisburseInput, RefundInput } from '../../../src/gateways/gateway.js';
import { classifyAnswer, GATEWAY_CALLS, type CallKind, type Classification, type GatewayAnswer } from '../../../src/gateways/http/gateway-http.js';
import { MoovDisbursementProvider } from '../../../src/gateways/moov/moov-disbursement.provider.js';
import { PaystackGateway } from '../../../src/gateways/paystack/paystack.gateway.js';
import { StripeGateway } from '../../../src/gateways/stripe/stripe.gateway.js';
import { TkhGateway } from '../../../src/gateways/tkh/tkh.gateway.js';
import { closedPortUrl, FakeGatewayServer, type FakeResponse } from '../../support/fake-gateway-server.js';
import { MOOV_TEST_KEY } from '../../support/fakes/moov-fake.js';
import { ManualClock } from '../../support/manual-clock.js';

// ADR 0010: only a refusal before the gateway accepted anything is "certainly nothing created".
// Written out by hand, row by row: [kind, retryable, createdNothing] for query | inert-create | moves-money.
type Row = [kind: Classification['kind'], retryable: boolean, createdNothing: boolean];
const U = 'unavailable';
const T = 'timeout';
const I = 'invalid_request';
const A = 'auth';
const same = (row: Row): [Row, Row, Row] => [row, row, row];

const TABLE: Array<[label: string, answer: GatewayAnswer, rows: [query: Row, inert: Row, money: Row]]> = [
  ['connection refused', { type: 'network', code: 'ECONNREFUSED' }, same([U, true, true])],
  ['DNS: no such name', { type: 'network', code: 'ENOTFOUND' }, same([U, true, true])],
  ['DNS: resolver unavailable', { type: 'network', code: 'EAI_AGAIN' }, same([U, true, true])],
  ['connection reset', { type: 'network', code: 'ECONNRESET' }, same([U, true, false])],
  ['unknown network error', { type: 'network', code: undefined }, same([U, true, false])],
  ['timeout', { type: 'timeout' }, same([T, true, false])],
  ['400', { type: 'http', status: 400 }, same([I, false, true])],
  ['401', { type: 'http', status: 401 }, same([A, false, true])],
  ['403', { type: 'http', status: 403 }, same([A, false, true])],
  ['404', { type: 'http', status: 404 }, same([I, false, true])],
  ['408', { type: 'http', status: 408 }, same([T, true, false])],
  ['409', { type: 'http', status: 409 }, [[I, false, true], [I, false, true], [U, true, false]]],
  ['429', { type: 'http', status: 429 }, same([U, true, true])],
  ['500', { type: 'http', status: 500 }, [[U, true, true], [U, true, true], [U, true, false]]],
  ['502', { type: 'http', status: 502 }, [[U, true, true], [U, true, true], [U, true, false]]],
  ['503', { type: 'http', status: 503 }, [[U, true, true], [U, true, true], [U, true, false]]],
  ['504', { type: 'http', status: 504 }, same([T, true, false])],
  ['unreadable 2xx', { type: 'unreadable' }, [[U, true, false], [U, false, false], [U, false, false]]],
];
const KINDS: CallKind[] = ['query', 'inert-create', 'moves-money'];
const expected = (answer: GatewayAnswer, call: CallKind): Classification => {
  const rows = TABLE.find(([, a]) => JSON.stringify(a) === JSON.stringify(answer))?.[2];
  if (!rows) throw new Error(`no row for ${JSON.stringify(answer)}`);
  const [kind, retryable, createdNothing] = rows[KINDS.indexOf(call)] as Row;
  return { kind, retryable, createdNothing };
};

describe('classifyAnswer: call kind × answer (the one rule)', () => {
  const cases = TABLE.flatMap(([label, answer]) => KINDS.map((call) => [label, call, answer] as const));
  it.each(cases)('%s on a %s call', (_label, call, answer) => {
    expect(classifyAnswer(call, answer)).toEqual(expected(answer, call));
  });

  it('a 4xx flagged as a decline is a certain decline', () => {
    expect(classifyAnswer('moves-money', { type: 'http', status: 402, declined: true })).toEqual({ kind: 'declined', retryable: false, createdNothing: true });
  });
});

describe('GATEWAY_CALLS: which kind each gateway call is', () => {
  it('reads only the inert redirect checkouts (Paystack initialize, TKH checkout) as inert; every payment push, refund and payout moves money', () => {
    expect(GATEWAY_CALLS).toEqual({
      paystack: { create: 'inert-create', refund: 'moves-money', status: 'query' },
      tkh: { create: 'inert-create', status: 'query' },
      stripe: { create: 'moves-money', refund: 'moves-money', status: 'moves-money' },
      momo: { create: 'moves-money', payout: 'moves-money', status: 'query', token: 'query' },
      kkiapay: { create: 'moves-money', status: 'query' },
      moov: { payout: 'moves-money', status: 'query' },
    });
  });
});

// Each adapter call against a fake answering every status: the error it raises is the table's.
const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
const payment: CreatePaymentInput = {
  intentId: '550e8400-e29b-41d4-a716-446655440000',
  amount: 250000,
  currency: 'NGN',
  country: 'NG',
  metadata: { appId: 'a', referenceId: 'r', customerEmail: 'ada@example.com' },
  returnUrl: 'https://shop.example/paid',
  useWidget: false,
};
const refund: RefundInput = { refundId: 'r-1', intentId: payment.intentId, gatewayTransactionId: payment.intentId, amount: 1000, currency: 'NGN', reason: null };
const payout: DisburseInput = { disbursementId: 'd-1', amount: 5000, currency: 'XOF', phoneNumber: '+2290197222222', note: 'n' };
const STATUSES = [400, 401, 403, 404, 409, 429, 500, 502, 503, 504];

interface WireCase {
  name: string;
  call: CallKind;
  route: string;
  invoke: (baseUrl: string) => Promise<unknown>;
  // The body of a non-2xx answer (Stripe's SDK needs its error envelope to classify by status).
  errorBody?: (status: number) => unknown;
  // A 2xx we cannot read, when the call has one.
  unreadable?: FakeResponse;
}

const stripeBody = (status: number) => ({ error: { type: status === 400 || status === 404 ? 'invalid_request_error' : 'api_error', message: 'x' } });
const WIRE: WireCase[] = [
  {
    name: 'paystack create (initialize)',
    call: GATEWAY_CALLS.paystack.create,
    route: 'POST /transaction/initialize',
    invoke: (base) => new PaystackGateway({ secretKey: 'sk', baseUrl: base }, clock).createPayment(payment),
    unreadable: { status: 200, body: { status: true, data: {} } },
  },
  {
    name: 'paystack refund',
    call: GATEWAY_CALLS.paystack.refund,
    route: 'POST /refund',
    invoke: (base) => new PaystackGateway({ secretKey: 'sk', baseUrl: base }, clock).refund(refund),
    unreadable: { status: 200, body: { status: true, data: {} } },
  },
  {
    name: 'paystack status (verify)',
    call: GATEWAY_CALLS.paystack.status,
    route: `GET /transaction/verify/${payment.intentId}`,
    invoke: (base) => new PaystackGateway({ secretKey: 'sk', baseUrl: base }, clock).getStatus(payment.intentId),
    unreadable: { status: 200, body: { status: true, data: {} } },
  },
  {
    name: 'tkh create (checkout)',
    call: GATEWAY_CALLS.tkh.create,
    route: 'POST /v1/checkouts',
    invoke: (base) => new TkhGateway({ baseUrl: base, apiKey: 'k', webhookSecret: 's' }, clock).createPayment(payment),
    unreadable: { status: 201, body: {} },
  },
  {
    name: 'tkh status',
    call: GATEWAY_CALLS.tkh.status,
    route: 'GET /v1/checkouts/chk_1',
    invoke: (base) => new TkhGateway({ baseUrl: base, apiKey: 'k', webhookSecret: 's' }, clock).getStatus('chk_1'),
  },
  {
    name: 'stripe create',
    call: GATEWAY_CALLS.stripe.create,
    route: 'POST /v1/payment_intents',
    invoke: (base) => new StripeGateway({ secretKey: 'sk_test_x', webhookSecret: 'whsec_x', apiBaseUrl: base }, clock).createPayment({ ...payment, currency: 'EUR', country: 'FR' }),
    errorBody: stripeBody,
    unreadable: { status: 200, body: { id: 'pi_1', object: 'payment_intent' } },
  },
  {
    name: 'stripe status',
    call: GATEWAY_CALLS.stripe.status,
    route: 'GET /v1/payment_intents/pi_1',
    invoke: (base) => new StripeGateway({ secretKey: 'sk_test_x', webhookSecret: 'whsec_x', apiBaseUrl: base }, clock).getStatus('pi_1'),
    errorBody: stripeBody,
  },
  {
    name: 'moov payout (cashintrans)',
    call: GATEWAY_CALLS.moov.payout,
    route: 'POST /UssdPush',
    invoke: (base) => moovAt(`${base}/UssdPush`).disburse(payout),
    unreadable: { status: 200, body: '<html>maintenance</html>' },
  },
  {
    name: 'moov status (getTransactionStatus)',
    call: GATEWAY_CALLS.moov.status,
    route: 'POST /UssdPush',
    invoke: (base) => moovAt(`${base}/UssdPush`).getDisbursementStatus('tx-1'),
    unreadable: { status: 200, body: '' },
  },
];
function moovAt(endpointUrl: string): MoovDisbursementProvider {
  return new MoovDisbursementProvider({ endpointUrl, username: 'u', password: 'p', encryptionKey: MOOV_TEST_KEY, namespace: 'http://api.merchant.tlc.com/' });
}

const errorOf = async (promise: Promise<unknown>): Promise<Classification> => {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as Partial<Classification> | null;
  if (!error) throw new Error('expected the call to fail');
  return { kind: error.kind as Classification['kind'], retryable: error.retryable as boolean, createdNothing: error.createdNothing as boolean };
};

describe('every adapter call raises the table\'s classification', () => {
  const fake = new FakeGatewayServer();
  let down = '';
  beforeAll(async () => {
    await fake.start();
    down = await closedPortUrl();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  afterAll(async () => {
    await fake.stop();
  });

  const statusCases = WIRE.flatMap((wire) => STATUSES.map((status) => [wire.name, status, wire] as const));
  it.each(statusCases)('%s answering HTTP %i', async (_name, status, wire) => {
    fake.on(wire.route, { status, body: wire.errorBody ? wire.errorBody(status) : {} });
    expect(await errorOf(wire.invoke(fake.baseUrl))).toEqual(expected({ type: 'http', status }, wire.call));
    expect(fake.requests).toHaveLength(1);
  });

  it.each(WIRE.filter((wire) => wire.unreadable).map((wire) => [wire.name, wire] as const))('%s answering an unreadable 2xx', async (_name, wire) => {
    fake.on(wire.route, wire.unreadable as FakeResponse);
    expect(await errorOf(wire.invoke(fake.baseUrl))).toEqual(expected({ type: 'unreadable' }, wire.call));
  });

  it.each(WIRE.map((wire) => [wire.name, wire] as const))('%s with the connection refused', async (_name, wire) => {
    expect(await errorOf(wire.invoke(down))).toEqual(expected({ type: 'network', code: 'ECONNREFUSED' }, wire.call));
  });
});
