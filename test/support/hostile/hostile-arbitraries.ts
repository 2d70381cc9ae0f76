import fc from 'fast-check';

// Generators for hostile HTTP requests: wrong types, edge numbers, sizes, nesting, encodings,
// headers, keys and ids. Each yields a request description the harness sends.
export interface HostileRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  // A string or bytes sent as is (the content type is in headers), or nothing.
  body?: string | Buffer;
}

const UUID = '5b0f3a52-7c1e-4d2a-9f3b-0c1d2e3f4a5b';

const edgeNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, 5e-324, 100_000_000_000, 100_000_000_001),
);
const edgeString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '\ud800', '💸', 'null', 'undefined', '__proto__', 'constructor', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '%00', 'XOF', 'BJ', 'mock', 'events'),
  fc.nat({ max: 5000 }).map((n) => 'a'.repeat(n)),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(edgeNumber, edgeString, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 4 }));

// Objects nested 1..3,000 deep, through objects or arrays.
const deep = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
);
const wide = fc.integer({ min: 150, max: 3000 }).map((n) => JSON.stringify({ metadata: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])) }));

const intentLike = fc.record(
  {
    amount: anyValue,
    currency: fc.oneof(fc.constantFrom('XOF', 'EUR', 'NGN', 'xof'), anyValue),
    country: fc.oneof(fc.constantFrom('BJ', 'NG', 'CA', 'bj', 'ZZ'), anyValue),
    metadata: fc.oneof(fc.dictionary(edgeString, anyValue, { maxKeys: 60 }), anyValue, fc.record({ appId: fc.oneof(fc.constant('events'), anyValue), referenceId: anyValue, phoneNumber: anyValue })),
    returnUrl: fc.oneof(fc.webUrl(), anyValue),
    gatewayOverride: fc.oneof(fc.constantFrom('mock', 'stripe', 'momo', 'nope'), anyValue),
    useWidget: anyValue,
    extra: anyValue,
  },
  { requiredKeys: [] },
);
const payoutLike = fc.record(
  { amount: anyValue, currency: anyValue, country: anyValue, phoneNumber: anyValue, appId: fc.oneof(fc.constant('events'), anyValue), referenceId: anyValue, intentId: anyValue, businessId: anyValue },
  { requiredKeys: [] },
);
const smallObject = fc.record({ amount: anyValue, reason: anyValue, transactionId: anyValue, intentId: anyValue }, { requiredKeys: [] });

const jsonText = fc.oneof(
  intentLike.map((v) => JSON.stringify(v)),
  payoutLike.map((v) => JSON.stringify(v)),
  smallObject.map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  deep,
  wide,
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"a":1,}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'null', '[]', '1e999999', '"x"', '{"amount":1e400}'),
  fc.nat({ max: 70_000 }).map((n) => JSON.stringify({ metadata: { appId: 'events', referenceId: 'x'.repeat(n) } })),
);
const bodyBytes: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 6, arbitrary: jsonText },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: jsonText.map((text) => Buffer.from(text, 'utf16le')) },
);

// Lone surrogates cannot be percent-encoded; they travel as U+FFFD (the server sees that too).
const pathSegment = (s: string): string => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd')) || 'x';

const id = fc.oneof(
  fc.uuid().map(String),
  fc.constant(UUID),
  edgeString.map((s) => pathSegment(s)),
  fc.constantFrom('%00', '..%2F..%2F', '%E0%A4%A', '%ZZ', 'x'.repeat(2017), 'x'.repeat(8000)),
);

const contentType = fc.constantFrom(
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=latin1',
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=nope', '',
);
const apiKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('events-secret-key', 'kaba-secret-key', 'ops-secret-key') },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 100 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')), fc.constant('k'.repeat(4000))) },
);
const idempotencyKey = fc.oneof(fc.string({ minLength: 1, maxLength: 300 }).map((s) => s.replace(/[^\x20-\x7e]/g, '') || 'k'), fc.uuid().map(String), fc.constant(' '));

const headers = fc.record(
  {
    'x-api-key': apiKey,
    'content-type': contentType,
    'idempotency-key': idempotencyKey,
    'x-forwarded-for': fc.ipV4(),
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'nope'),
    'x-mock-signature': fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 64 }),
  },
  { requiredKeys: [] },
).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);

const route = fc.oneof(
  fc.constant({ method: 'POST' as const, path: '/api/v1/intents' }),
  fc.constant({ method: 'POST' as const, path: '/api/v1/intents/verify-kkiapay' }),
  id.map((i) => ({ method: 'POST' as const, path: `/api/v1/intents/${i}/refund` })),
  id.map((i) => ({ method: 'GET' as const, path: `/api/v1/intents/${i}` })),
  fc.constant({ method: 'POST' as const, path: '/api/v1/disbursements' }),
  id.map((i) => ({ method: 'GET' as const, path: `/api/v1/disbursements/${i}` })),
  fc.constant({ method: 'GET' as const, path: '/api/v1/gateways' }),
  fc.constantFrom('stripe', 'paystack', 'kkiapay', 'momo', 'tkh', 'mock', 'nope', 'x'.repeat(300)).map((g) => ({ method: 'POST' as const, path: `/webhooks/${g}` })),
  fc.tuple(fc.constantFrom('momo', 'mock', 'stripe'), id, fc.constantFrom('POST' as const, 'PUT' as const)).map(([g, i, m]) => ({ method: m, path: `/webhooks/${g}/${i}` })),
  id.map((i) => ({ method: 'PUT' as const, path: `/webhooks/momo/disbursements/${i}` })),
  fc.tuple(id, fc.constantFrom('', '/pay', '/decline')).map(([i, action]) => ({ method: action ? ('POST' as const) : ('GET' as const), path: `/mock/pay/${i}${action}` })),
  fc.constantFrom('DELETE' as const, 'PATCH' as const, 'PUT' as const).map((m) => ({ method: m, path: '/api/v1/intents' })),
  fc.constant({ method: 'GET' as const, path: '/health' }),
);

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .tuple(route, headers, fc.option(bodyBytes, { freq: 5 }))
  .map(([{ method, path }, h, body]) => ({ method, path, headers: h, ...(body === null || method === 'GET' ? {} : { body }) }));
