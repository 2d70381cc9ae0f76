import type { FakeResponse } from '../fake-gateway-server.js';
import { FakeProviderServer, jsonObject, type FakeRequest } from './fake-provider-server.js';

// A strict fake of the MTN MoMo Open API (Collection requesttopay, Disbursement transfer).
// Sources checked (search tool, November 2026):
// - MTN "Common Error Codes" page (momodeveloper.mtn.com/api-documentation/common-error,
//   momodevelopercommunity.mtn.com "MoMo API common errors"): 409 RESOURCE_ALREADY_EXIST for a
//   reused X-Reference-Id; 404 for an unknown reference; 400 when X-Reference-Id is not a UUID v4
//   or a note/message is over 160 characters; 401 for a bad Ocp-Apim-Subscription-Key; 500
//   NOT_ALLOWED_TARGET_ENVIRONMENT and INVALID_CURRENCY; 503 SERVICE_UNAVAILABLE.
// - 409 body message "Duplicated reference id. Creation of resource failed." as quoted in
//   mtvbrianking/laravel-mtn-momo tests/Console/RegisterIdCommandTest.php and other public fakes.
// - 404 body { code: 'RESOURCE_NOT_FOUND', message: 'Requested resource was not found.' } as
//   reported from the live API in comfortchambeshi/Wit-MTN-MOMO-API-Python-SDK issue #1.
// - MTN "Callback" page: sent once, PUT or POST, body like the status answer, unsigned.
// - MTN community "error response enrichment": `reason` is a plain code word in status answers.
// NOT found, so chosen here and marked "unverified": the 400 bodies (code INVALID_REFERENCE_ID /
// BAD_REQUEST), the 401 bodies for a bad token or Basic login, the 500/503 messages, and
// MSISDN being digits only (community advice: country code, no '+').

export type MomoProduct = 'collection' | 'disbursement';
export type MomoStatus = 'PENDING' | 'SUCCESSFUL' | 'FAILED';
export type MomoReason = string | { code: string; message: string };

export const MOMO_ROUTES = {
  collectionToken: 'POST /collection/token/',
  disbursementToken: 'POST /disbursement/token/',
  requestToPay: 'POST /collection/v1_0/requesttopay',
  requestToPayStatus: 'GET /collection/v1_0/requesttopay/:ref',
  transfer: 'POST /disbursement/v1_0/transfer',
  transferStatus: 'GET /disbursement/v1_0/transfer/:ref',
} as const;
export type MomoRoute = (typeof MOMO_ROUTES)[keyof typeof MOMO_ROUTES];

export interface MomoCredentials {
  subscriptionKey: string;
  apiUser: string;
  apiKey: string;
}

export interface MomoFakeOptions {
  // When set, only these credentials are accepted for that product; otherwise any non-empty ones.
  collection?: MomoCredentials;
  disbursement?: MomoCredentials;
  // When set, any other X-Target-Environment is refused (500 NOT_ALLOWED_TARGET_ENVIRONMENT).
  targetEnvironment?: string;
  // When set, any other currency is refused (500 INVALID_CURRENCY), as a country account does.
  currency?: string;
}

export interface MomoParty {
  partyIdType: string;
  partyId: string;
}

export interface MomoResource {
  product: MomoProduct;
  referenceId: string;
  amount: string;
  currency: string;
  externalId: string;
  party: MomoParty;
  payerMessage?: string;
  payeeNote?: string;
  status: MomoStatus;
  reason?: MomoReason;
  financialTransactionId?: string;
  callbackUrl?: string;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const PARTY_ID_TYPES = new Set(['MSISDN', 'EMAIL', 'PARTY_CODE']);
// Currencies without minor units (gateways.md "Money"); every other one has 2 decimals.
const ZERO_DECIMAL = new Set(['XOF', 'XAF', 'GNF', 'UGX', 'RWF']);
const NOTE_MAX = 160;

const momoError = (status: number, code: string, message: string): FakeResponse => ({ status, body: { code, message } });
// Azure API Management's own answers, which front the MoMo API.
const missingKey = { status: 401, body: { statusCode: 401, message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.' } };
const invalidKey = { status: 401, body: { statusCode: 401, message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.' } };
const invalidToken = { status: 401, body: { statusCode: 401, message: 'Unauthorized. Access token is missing or invalid.' } }; // unverified

export class MomoFake extends FakeProviderServer<MomoRoute> {
  private readonly resources = { collection: new Map<string, MomoResource>(), disbursement: new Map<string, MomoResource>() };
  private readonly tokens = new Map<string, MomoProduct>();
  private issued = 0;
  private settled = 0;

  constructor(private readonly options: MomoFakeOptions = {}) {
    super({
      serverError: { code: 'INTERNAL_PROCESSING_ERROR', message: 'An internal error occurred while processing.' },
      unavailable: { code: 'SERVICE_UNAVAILABLE', message: 'Service temporary unavailable, try again later.' },
    });
    this.route(MOMO_ROUTES.collectionToken, (req) => this.token('collection', req));
    this.route(MOMO_ROUTES.disbursementToken, (req) => this.token('disbursement', req));
    this.route(MOMO_ROUTES.requestToPay, (req) => this.create('collection', req));
    this.route(MOMO_ROUTES.transfer, (req) => this.create('disbursement', req));
    this.route(MOMO_ROUTES.requestToPayStatus, (req) => this.status('collection', req));
    this.route(MOMO_ROUTES.transferStatus, (req) => this.status('disbursement', req));
  }

  // The payer approved (SUCCESSFUL: money moved) or the payment failed; only once per resource.
  settle(referenceId: string, status: 'SUCCESSFUL' | 'FAILED', reason?: MomoReason): void {
    const resource = this.find(referenceId);
    if (resource.status !== 'PENDING') throw new Error(`MoMo ${referenceId} is already ${resource.status}`);
    resource.status = status;
    if (status === 'SUCCESSFUL') resource.financialTransactionId = String(1_000_000 + ++this.settled);
    else resource.reason = reason ?? 'INTERNAL_PROCESSING_ERROR';
  }

  // Minor units (XOF 500 → 500, EUR "12.50" → 1250) of SUCCESSFUL resources, per product.
  // Pass the currency when the fake holds several, so amounts are never added across currencies.
  moneyMoved(currency?: string): { collected: number; disbursed: number } {
    const successful = [...this.resources.collection.values(), ...this.resources.disbursement.values()].filter((r) => r.status === 'SUCCESSFUL');
    const currencies = new Set(successful.map((r) => r.currency));
    if (currency === undefined && currencies.size > 1) throw new Error(`moneyMoved: several currencies (${[...currencies].join(', ')}), pass one`);
    const sum = (product: MomoProduct) =>
      successful.filter((r) => r.product === product && (currency === undefined || r.currency === currency)).reduce((total, r) => total + toMinor(r.amount, r.currency), 0);
    return { collected: sum('collection'), disbursed: sum('disbursement') };
  }

  // Distinct resources created (any status): a second one for the same payment is a double charge.
  count(product: MomoProduct): number {
    return this.resources[product].size;
  }

  resource(product: MomoProduct, referenceId: string): Readonly<MomoResource> | undefined {
    return this.resources[product].get(referenceId);
  }

  // Tokens issued so far stop working, as after expires_in.
  expireTokens(): void {
    this.tokens.clear();
  }

  // Sends the callback MTN would send to the request's X-Callback-Url: once, unsigned, the status
  // body as JSON. Returns the receiver's HTTP status, or null when the request carried no URL.
  async callback(referenceId: string, method: 'POST' | 'PUT' = 'POST'): Promise<number | null> {
    const resource = this.find(referenceId);
    if (!resource.callbackUrl) return null;
    const response = await fetch(resource.callbackUrl, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(statusBody(resource)) });
    await response.arrayBuffer();
    return response.status;
  }

  private token(product: MomoProduct, req: FakeRequest): FakeResponse {
    const keyProblem = this.subscriptionProblem(product, req);
    if (keyProblem) return keyProblem;
    const login = basicLogin(req.headers.authorization);
    const expected = this.options[product];
    const valid = login && (expected ? login.user === expected.apiUser && login.key === expected.apiKey : login.user && login.key);
    if (!valid) return { status: 401, body: { error: 'login_failed' } }; // unverified
    const token = `fake-${product}-token-${++this.issued}`;
    this.tokens.set(token, product);
    return { status: 200, body: { access_token: token, token_type: 'access_token', expires_in: 3600 } };
  }

  private create(product: MomoProduct, req: FakeRequest): FakeResponse {
    const refused = this.authProblem(product, req);
    if (refused) return refused;
    const referenceId = header(req, 'x-reference-id');
    if (!referenceId || !UUID_V4.test(referenceId)) return momoError(400, 'INVALID_REFERENCE_ID', 'X-Reference-Id must be a UUID v4.'); // unverified body
    const body = jsonObject(req);
    const partyKey = product === 'collection' ? 'payer' : 'payee';
    const invalid = body ? invalidBody(body, partyKey) : 'body must be a JSON object';
    if (invalid || !body) return momoError(400, 'BAD_REQUEST', `Request rejected: ${invalid}`); // unverified body
    if (this.options.currency && body.currency !== this.options.currency) return momoError(500, 'INVALID_CURRENCY', 'Currency not supported.');
    // The reference id IS the resource id: a second POST with it never creates or moves anything.
    if (this.resources[product].has(referenceId)) return momoError(409, 'RESOURCE_ALREADY_EXIST', 'Duplicated reference id. Creation of resource failed.');
    const callbackUrl = header(req, 'x-callback-url');
    this.resources[product].set(referenceId, {
      product,
      referenceId,
      amount: body.amount as string,
      currency: body.currency as string,
      externalId: body.externalId as string,
      party: body[partyKey] as MomoParty,
      ...(typeof body.payerMessage === 'string' ? { payerMessage: body.payerMessage } : {}),
      ...(typeof body.payeeNote === 'string' ? { payeeNote: body.payeeNote } : {}),
      status: 'PENDING',
      ...(callbackUrl ? { callbackUrl } : {}),
    });
    return { status: 202 };
  }

  private status(product: MomoProduct, req: FakeRequest): FakeResponse {
    const refused = this.authProblem(product, req);
    if (refused) return refused;
    const resource = this.resources[product].get(req.params.ref ?? '');
    if (!resource) return momoError(404, 'RESOURCE_NOT_FOUND', 'Requested resource was not found.');
    return { status: 200, body: statusBody(resource) };
  }

  private authProblem(product: MomoProduct, req: FakeRequest): FakeResponse | undefined {
    const keyProblem = this.subscriptionProblem(product, req);
    if (keyProblem) return keyProblem;
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    if (!bearer || this.tokens.get(bearer) !== product) return invalidToken;
    const environment = header(req, 'x-target-environment');
    const wanted = this.options.targetEnvironment;
    if (!environment || (wanted && environment !== wanted)) return momoError(500, 'NOT_ALLOWED_TARGET_ENVIRONMENT', 'Access to target environment is forbidden.');
    return undefined;
  }

  private subscriptionProblem(product: MomoProduct, req: FakeRequest): FakeResponse | undefined {
    const key = header(req, 'ocp-apim-subscription-key');
    if (!key) return missingKey;
    const expected = this.options[product]?.subscriptionKey;
    return expected && key !== expected ? invalidKey : undefined;
  }

  private find(referenceId: string): MomoResource {
    const found = [this.resources.collection.get(referenceId), this.resources.disbursement.get(referenceId)].filter((r) => r !== undefined);
    if (found.length !== 1) throw new Error(found.length ? `MoMo ${referenceId} exists in both products` : `MoMo ${referenceId} was never created`);
    return found[0] as MomoResource;
  }
}

// GET requesttopay/{ref} and transfer/{ref}; also the callback body.
function statusBody(resource: MomoResource): Record<string, unknown> {
  return {
    amount: resource.amount,
    currency: resource.currency,
    ...(resource.financialTransactionId ? { financialTransactionId: resource.financialTransactionId } : {}),
    externalId: resource.externalId,
    [resource.product === 'collection' ? 'payer' : 'payee']: resource.party,
    ...(resource.payerMessage !== undefined ? { payerMessage: resource.payerMessage } : {}),
    ...(resource.payeeNote !== undefined ? { payeeNote: resource.payeeNote } : {}),
    status: resource.status,
    ...(resource.reason !== undefined ? { reason: resource.reason } : {}),
  };
}

function invalidBody(body: Record<string, unknown>, partyKey: 'payer' | 'payee'): string | undefined {
  const { amount, currency, externalId, payerMessage, payeeNote } = body;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return 'currency must be an ISO 4217 code';
  // MoMo takes major units as a string ("500", "12.50"); a JSON number is a wire-format bug.
  if (typeof amount !== 'string' || !/^\d+(\.\d+)?$/.test(amount) || Number(amount) <= 0) return 'amount must be a positive decimal string';
  if ((amount.split('.')[1]?.length ?? 0) > (ZERO_DECIMAL.has(currency) ? 0 : 2)) return `amount has too many decimals for ${currency}`;
  if (typeof externalId !== 'string' || !externalId) return 'externalId is required';
  const party = body[partyKey] as Partial<MomoParty> | undefined;
  if (!party || typeof party.partyIdType !== 'string' || !PARTY_ID_TYPES.has(party.partyIdType)) return `${partyKey}.partyIdType must be MSISDN, EMAIL or PARTY_CODE`;
  if (typeof party.partyId !== 'string' || !party.partyId) return `${partyKey}.partyId is required`;
  if (party.partyIdType === 'MSISDN' && !/^\d{8,15}$/.test(party.partyId)) return `${partyKey}.partyId must be digits with the country code, no '+'`;
  for (const [name, value] of [['payerMessage', payerMessage], ['payeeNote', payeeNote]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.length > NOTE_MAX)) return `${name} must be a string of at most ${NOTE_MAX} characters`;
  }
  return undefined;
}

function toMinor(amount: string, currency: string): number {
  const [whole = '0', fraction = ''] = amount.split('.');
  const decimals = ZERO_DECIMAL.has(currency) ? 0 : 2;
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
}

function header(req: FakeRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function basicLogin(authorization: string | undefined): { user: string; key: string } | null {
  const encoded = /^Basic (.+)$/.exec(authorization ?? '')?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}
