import Stripe from 'stripe';
import type { FakeResponse } from '../fake-gateway-server.js';
import { FakeProviderServer, type FakeRequest } from './fake-provider-server.js';

// A strict fake of the part of Stripe's v1 API the service uses, for the official SDK pointed at
// it with { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 }.
// Idempotency follows Stripe's "Idempotent requests" page (docs.stripe.com/api/idempotent_requests):
// the status code and body of the first request with a key are saved once the endpoint begins
// executing, and replayed for that key — errors included; a request that fails parameter
// validation saves nothing; the same key with other parameters is an idempotency_error.
// Our choice for faults: 'act-then-500/reset/hang' model a failure AFTER Stripe executed and
// saved the request (a proxy or the network lost the answer), so the key replays the SUCCESS;
// 'refuse-503' saves nothing, so a retry with the key executes for real.
// Note (node_modules/stripe RequestSender.js): SDK v23 gives every POST an Idempotency-Key
// (`stripe-node-retry-<uuid>`) and retries ECONNRESET/EPIPE once even with maxNetworkRetries 0.
// Error codes: resource_missing, parameter_missing, charge_already_refunded are in Stripe's
// error-code list; 'amount_too_large' for a refund over the unrefunded amount is community-
// reported, and the message wordings are community-reported or assumed.

export const STRIPE_ROUTES = {
  createPaymentIntent: 'POST /v1/payment_intents',
  retrievePaymentIntent: 'GET /v1/payment_intents/:id',
  createRefund: 'POST /v1/refunds',
  retrieveRefund: 'GET /v1/refunds/:id',
} as const;
export type StripeRoute = (typeof STRIPE_ROUTES)[keyof typeof STRIPE_ROUTES];

export type StripeRefundStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';
export type StripeEventType = 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.canceled';
export type StripeRefundEventType = 'refund.updated' | 'refund.failed' | 'charge.refunded';

export interface StripeFakeOptions {
  // When set, only this key is accepted; otherwise any `sk_…` bearer.
  secretKey?: string;
  // Status of new refunds (card refunds are usually 'succeeded' at once).
  refundStatus?: 'succeeded' | 'pending';
}

interface PaymentIntentRecord extends Record<string, unknown> {
  id: string;
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  latest_charge: string | null;
}

interface RefundRecord extends Record<string, unknown> {
  id: string;
  amount: number;
  payment_intent: string;
  status: StripeRefundStatus;
}

interface SavedResponse {
  endpoint: string;
  parameters: string;
  response: FakeResponse;
}

// A reply rejected before the endpoint "began executing": never saved under an idempotency key.
type Reply = FakeResponse & { validationFailed?: true };

const PAYMENT_INTENT_PARAMS = new Set(['amount', 'currency', 'automatic_payment_methods', 'metadata', 'description', 'receipt_email', 'customer', 'payment_method_types', 'capture_method', 'statement_descriptor', 'statement_descriptor_suffix', 'return_url', 'expand']);
const REFUND_PARAMS = new Set(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
const REFUND_REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);
const LIVE_REFUND = new Set<StripeRefundStatus>(['pending', 'succeeded']);

const stripeError = (status: number, error: Record<string, unknown>): FakeResponse => ({ status, body: { error: { type: 'invalid_request_error', ...error } } });
const invalid = (param: string, message: string, code?: string): Reply => ({ ...stripeError(400, { param, message, ...(code ? { code } : {}) }), validationFailed: true });
const noSuch = (kind: string, id: string, param: string): FakeResponse => stripeError(404, { code: 'resource_missing', param, message: `No such ${kind}: '${id}'` });

export class StripeFake extends FakeProviderServer<StripeRoute> {
  private readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  private readonly refunds = new Map<string, RefundRecord>();
  private readonly saved = new Map<string, SavedResponse>();
  private sequence = 0;

  constructor(private readonly options: StripeFakeOptions = {}) {
    super({
      serverError: { error: { type: 'api_error', message: 'An unknown error occurred.' } },
      unavailable: { error: { type: 'api_error', message: 'Stripe is temporarily unavailable.' } },
    });
    this.route(STRIPE_ROUTES.createPaymentIntent, this.idempotent((params) => this.createPaymentIntent(params)));
    this.route(STRIPE_ROUTES.createRefund, this.idempotent((params) => this.createRefund(params)));
    this.route(STRIPE_ROUTES.retrievePaymentIntent, this.authorized((req) => this.retrieve(this.paymentIntents, 'payment_intent', 'intent', req)));
    this.route(STRIPE_ROUTES.retrieveRefund, this.authorized((req) => this.retrieve(this.refunds, 'refund', 'refund', req)));
  }

  // The customer paid: the PaymentIntent succeeds with its whole amount received.
  succeed(paymentIntentId: string): void {
    const intent = this.mustGet(this.paymentIntents, paymentIntentId);
    if (intent.status === 'succeeded') throw new Error(`${paymentIntentId} already succeeded`);
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, latest_charge: `ch_fake${++this.sequence}` });
  }

  // A pending refund ends: 'failed' or 'canceled' gives the money back to the merchant.
  settleRefund(refundId: string, status: 'succeeded' | 'failed' | 'canceled'): void {
    const refund = this.mustGet(this.refunds, refundId);
    if (refund.status !== 'pending') throw new Error(`${refundId} is ${refund.status}, not pending`);
    refund.status = status;
  }

  paymentIntent(id: string): Readonly<PaymentIntentRecord> | undefined {
    return this.paymentIntents.get(id);
  }

  // Minor units of refunds that exist and still take money back (pending or succeeded).
  refundedTotal(paymentIntentId?: string): number {
    return [...this.refunds.values()].filter((r) => LIVE_REFUND.has(r.status) && (!paymentIntentId || r.payment_intent === paymentIntentId)).reduce((sum, r) => sum + r.amount, 0);
  }

  refundCount(): number {
    return this.refunds.size;
  }

  paymentIntentCount(): number {
    return this.paymentIntents.size;
  }

  // Stripe keeps keys for at least 24 hours; this is "later than that".
  expireIdempotencyKeys(): void {
    this.saved.clear();
  }

  // An event for the PaymentIntent as it is now, signed like Stripe signs webhooks.
  signedEvent(type: StripeEventType, paymentIntentId: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): { payload: string; header: string } {
    const intent = this.mustGet(this.paymentIntents, paymentIntentId);
    const event = { id: `evt_fake${++this.sequence}`, object: 'event', api_version: null, created: timestamp, data: { object: intent }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type };
    const payload = JSON.stringify(event);
    return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
  }

  // A refund event (refund.updated, refund.failed: the Refund; charge.refunded: its Charge,
  // listing the refund as older API versions do), for the refund as it is now, signed.
  signedRefundEvent(type: StripeRefundEventType, refundId: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): { payload: string; header: string } {
    const refund = this.mustGet(this.refunds, refundId);
    const intent = this.mustGet(this.paymentIntents, refund.payment_intent);
    const object =
      type === 'charge.refunded'
        ? { id: intent.latest_charge, object: 'charge', amount: intent.amount, payment_intent: intent.id, refunded: this.refundedTotal(intent.id) >= intent.amount, refunds: { object: 'list', data: [refund], has_more: false } }
        : refund;
    const event = { id: `evt_fake${++this.sequence}`, object: 'event', api_version: null, created: timestamp, data: { object }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type };
    const payload = JSON.stringify(event);
    return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
  }

  private createPaymentIntent(params: Record<string, unknown>): Reply {
    const unknown = unknownParam(params, PAYMENT_INTENT_PARAMS);
    if (unknown) return invalid(unknown, `Received unknown parameter: ${unknown}`, 'parameter_unknown');
    const amount = positiveInteger(params.amount);
    if (params.amount === undefined) return invalid('amount', 'Missing required param: amount.', 'parameter_missing');
    if (amount === undefined) return invalid('amount', `Invalid integer: ${String(params.amount)}`, 'parameter_invalid_integer');
    if (typeof params.currency !== 'string') return invalid('currency', 'Missing required param: currency.', 'parameter_missing');
    if (!/^[a-z]{3}$/i.test(params.currency)) return invalid('currency', `Invalid currency: ${params.currency}.`);
    const metadata = metadataOf(params.metadata);
    if (typeof metadata === 'string') return invalid('metadata', metadata);
    const id = `pi_fake${++this.sequence}`;
    const automatic = (params.automatic_payment_methods as Record<string, unknown> | undefined)?.enabled === 'true';
    const intent: PaymentIntentRecord = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      automatic_payment_methods: automatic ? { allow_redirects: 'always', enabled: true } : null,
      canceled_at: null,
      capture_method: 'automatic_async',
      client_secret: `${id}_secret_fake${this.sequence}`,
      confirmation_method: 'automatic',
      created: Math.floor(Date.now() / 1000),
      currency: params.currency.toLowerCase(),
      description: typeof params.description === 'string' ? params.description : null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata,
      payment_method: null,
      payment_method_types: ['card'],
      status: 'requires_payment_method',
    };
    this.paymentIntents.set(id, intent);
    return { status: 200, body: intent };
  }

  private createRefund(params: Record<string, unknown>): Reply {
    const unknown = unknownParam(params, REFUND_PARAMS);
    if (unknown) return invalid(unknown, `Received unknown parameter: ${unknown}`, 'parameter_unknown');
    if (typeof params.payment_intent !== 'string') return invalid('payment_intent', 'One of the following params should be provided for this request: payment_intent or charge.');
    const amount = params.amount === undefined ? null : positiveInteger(params.amount);
    if (amount === undefined) return invalid('amount', `Invalid integer: ${String(params.amount)}`, 'parameter_invalid_integer');
    if (params.reason !== undefined && !REFUND_REASONS.has(String(params.reason))) return invalid('reason', 'Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer');
    const metadata = metadataOf(params.metadata);
    if (typeof metadata === 'string') return invalid('metadata', metadata);
    // From here the endpoint "executes": refusals below are saved under the idempotency key.
    const intent = this.paymentIntents.get(params.payment_intent);
    if (!intent) return noSuch('payment_intent', params.payment_intent, 'payment_intent');
    if (intent.status !== 'succeeded') return stripeError(400, { message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund.` });
    const remaining = intent.amount_received - this.refundedTotal(intent.id);
    if (remaining <= 0) return stripeError(400, { code: 'charge_already_refunded', message: `Charge ${intent.latest_charge} has already been refunded.` });
    if (amount !== null && amount > remaining) return stripeError(400, { code: 'amount_too_large', param: 'amount', message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})` });
    const refund: RefundRecord = {
      id: `re_fake${++this.sequence}`,
      object: 'refund',
      amount: amount ?? remaining,
      balance_transaction: null,
      charge: intent.latest_charge,
      created: Math.floor(Date.now() / 1000),
      currency: intent.currency,
      metadata,
      payment_intent: intent.id,
      reason: params.reason ?? null,
      receipt_number: null,
      status: this.options.refundStatus ?? 'succeeded',
    };
    this.refunds.set(refund.id, refund);
    return { status: 200, body: refund };
  }

  private retrieve(store: Map<string, Record<string, unknown>>, kind: string, param: string, req: FakeRequest): FakeResponse {
    const id = req.params.id ?? '';
    const found = store.get(id);
    return found ? { status: 200, body: found } : noSuch(kind, id, param);
  }

  // Auth, then Stripe's idempotency layer around a POST endpoint.
  private idempotent(endpoint: (params: Record<string, unknown>) => Reply) {
    return this.authorized((req) => {
      const key = headerValue(req, 'idempotency-key');
      const where = `${req.method} ${req.path}`;
      const parameters = canonicalForm(req.rawBody);
      const saved = key ? this.saved.get(key) : undefined;
      if (key && saved) {
        if (saved.endpoint !== where) return idempotencyError(`Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`);
        if (saved.parameters !== parameters) return idempotencyError(`Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
        return { ...saved.response, headers: { ...saved.response.headers, 'Idempotent-Replayed': 'true' } };
      }
      const { validationFailed, ...response } = endpoint(parseForm(req.rawBody));
      const sent = key ? { ...response, headers: { ...response.headers, 'Idempotency-Key': key } } : response;
      if (key && !validationFailed) this.saved.set(key, { endpoint: where, parameters, response: sent });
      return sent;
    });
  }

  private authorized(handler: (req: FakeRequest) => FakeResponse) {
    return (req: FakeRequest): FakeResponse => {
      const key = /^Bearer (.+)$/.exec(headerValue(req, 'authorization') ?? '')?.[1];
      const valid = key && (this.options.secretKey ? key === this.options.secretKey : key.startsWith('sk_'));
      if (!valid) return stripeError(401, { message: `Invalid API Key provided: ${key ?? '(none)'}` });
      const reply = handler(req);
      return { ...reply, headers: { 'Request-Id': `req_fake${++this.sequence}`, ...reply.headers } };
    };
  }

  private mustGet<T>(store: Map<string, T>, id: string): T {
    const found = store.get(id);
    if (!found) throw new Error(`Stripe fake has no ${id}`);
    return found;
  }
}

const idempotencyError = (message: string): FakeResponse => ({ status: 400, body: { error: { type: 'idempotency_error', message } } });

// Stripe's form encoding: `metadata[intentId]=x`, `automatic_payment_methods[enabled]=true`.
function parseForm(raw: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

// The same parameters in any order compare equal.
function canonicalForm(raw: string): string {
  return [...new URLSearchParams(raw)].map(([key, value]) => `${key}=${value}`).sort().join('&');
}

function unknownParam(params: Record<string, unknown>, allowed: Set<string>): string | undefined {
  return Object.keys(params).find((name) => !allowed.has(name));
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'string' && /^[1-9]\d*$/.test(value) ? Number(value) : undefined;
}

// Stripe's limits: 50 keys, key ≤ 40 characters, value ≤ 500 characters.
function metadataOf(value: unknown): Record<string, string> | string {
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || value === null) return 'Invalid object';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 50) return 'Invalid metadata: metadata cannot have more than 50 keys';
  for (const [key, item] of entries) {
    if (typeof item !== 'string') return `Invalid metadata: ${key} must be a string`;
    if (key.length > 40 || item.length > 500) return `Invalid metadata: ${key} is too long`;
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function headerValue(req: FakeRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
