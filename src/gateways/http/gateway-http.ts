import type { GatewayId } from '../../domain/gateway-id.js';
import { GatewayError, type GatewayErrorKind } from '../gateway.js';

export interface GatewayRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  // Sent as JSON unless it is already a string.
  body?: unknown;
  timeoutMs?: number;
  // The answer is not JSON (SOAP): keep only the text.
  raw?: boolean;
}

export interface GatewayResponse {
  status: number;
  headers: Headers;
  // Parsed JSON, or null for an empty / non-JSON body.
  body: unknown;
  text: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

// fetch with a timeout whose failures become classified GatewayErrors. The gateway's raw error
// text never goes into the message (it can echo card or phone data); only status and kind do.
export async function gatewayFetch(gateway: GatewayId | 'moov', request: GatewayRequest): Promise<GatewayResponse> {
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { ...(body !== undefined && typeof request.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...request.headers },
      body,
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    throw networkError(gateway, error);
  }
  const text = await response.text().catch(() => '');
  return { status: response.status, headers: response.headers, body: request.raw ? null : parseJson(text), text };
}

// ─── The one place that decides "certainly nothing created" (ADR 0010) ───────────────────────
// What a call can have done if the gateway acted on it before its answer was lost:
// - 'query':        a status query, token, list: it moves no money and creates nothing;
// - 'inert-create': a redirect checkout nobody can pay without the URL we never handed out
//                   (Paystack initialize, TKH checkout: ADR 0010 "One deliberate reading"), so a
//                   5xx counts as refused;
// - 'moves-money':  a payment create the customer can complete without us (Stripe, MoMo and
//                   KkiaPay push), a refund, a payout: after a 5xx, reset or timeout it may have acted.
export type CallKind = 'query' | 'inert-create' | 'moves-money';

// What came back from one call, in transport terms.
export type GatewayAnswer =
  | { type: 'network'; code: string | undefined }
  | { type: 'timeout' }
  | { type: 'http'; status: number; declined?: boolean }
  // A 2xx whose body we cannot read.
  | { type: 'unreadable' };

export interface Classification {
  kind: GatewayErrorKind;
  retryable: boolean;
  createdNothing: boolean;
}

// Connection refused or the name did not resolve: the request never left us.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

// Certain only for a refusal before the gateway accepted anything: never sent (refused, DNS),
// credentials rejected (401/403), rate limited (429), or a 4xx validation refusal. Everything
// else (reset, timeout, 408, 504, an unreadable 2xx, a 5xx on a money-moving call, a 409 on one:
// "something with this reference already exists") is an unknown outcome.
export function classifyAnswer(call: CallKind, answer: GatewayAnswer): Classification {
  const is = (kind: GatewayErrorKind, retryable: boolean, createdNothing: boolean): Classification => ({ kind, retryable, createdNothing });
  switch (answer.type) {
    case 'network':
      return is('unavailable', true, answer.code !== undefined && NEVER_SENT.has(answer.code));
    case 'timeout':
      return is('timeout', true, false);
    // Re-asking a query is harmless; re-sending a call that may have acted is not.
    case 'unreadable':
      return is('unavailable', call === 'query', false);
    case 'http': {
      const { status } = answer;
      if (status === 401 || status === 403) return is('auth', false, true);
      if (status === 408 || status === 504) return is('timeout', true, false);
      if (status === 429) return is('unavailable', true, true);
      if (status >= 500) return is('unavailable', true, call !== 'moves-money');
      // A conflict on a money-moving call: something with our reference exists or is in flight.
      if (status === 409 && call === 'moves-money') return is('unavailable', true, false);
      return is(answer.declined ? 'declined' : 'invalid_request', false, true);
    }
  }
}

// Which kind each call of each gateway is: the per-gateway half of the rule, table-tested in
// test/unit/gateways/error-classification.spec.ts. Every adapter passes its call's kind here.
export const GATEWAY_CALLS = {
  paystack: { create: 'inert-create', refund: 'moves-money', status: 'query' },
  tkh: { create: 'inert-create', status: 'query' },
  // Stripe's classifier is not told the call: every call is read as money-moving (the safe side).
  stripe: { create: 'moves-money', refund: 'moves-money', status: 'moves-money' },
  momo: { create: 'moves-money', payout: 'moves-money', status: 'query', token: 'query' },
  kkiapay: { create: 'moves-money', status: 'query' },
  moov: { payout: 'moves-money', status: 'query' },
} as const satisfies Record<Exclude<GatewayId, 'mock'> | 'moov', Partial<Record<'create' | 'refund' | 'payout' | 'status' | 'token', CallKind>>>;

// A non-2xx answer as a GatewayError. `call` defaults to 'query' (5xx = nothing created): a
// caller that moves money must say so. Only status and kind go into the message.
export function httpError(gateway: GatewayId | 'moov', status: number, what: string, call: CallKind | { declined?: boolean; movesMoney?: boolean } = 'query'): GatewayError {
  const options = typeof call === 'string' ? { call } : { call: call.movesMoney ? ('moves-money' as const) : ('query' as const), declined: call.declined };
  const c = classifyAnswer(options.call, { type: 'http', status, ...(options.declined ? { declined: true } : {}) });
  const label = c.kind === 'auth' ? ' (credentials rejected)' : '';
  const message = c.kind === 'declined' ? `${what}: declined (HTTP ${status})` : `${what}: HTTP ${status}${label}`;
  return new GatewayError(gateway, c.kind, message, c.retryable, c.createdNothing);
}

// A 2xx we cannot read: it may have taken effect.
export function unreadableError(gateway: GatewayId | 'moov', call: CallKind, what: string): GatewayError {
  const c = classifyAnswer(call, { type: 'unreadable' });
  return new GatewayError(gateway, c.kind, `${what}: unexpected response`, c.retryable, c.createdNothing);
}

function networkError(gateway: GatewayId | 'moov', error: unknown): GatewayError {
  const name = (error as { name?: string }).name;
  // We do not know whether the gateway acted on it: never fall back after this.
  if (name === 'TimeoutError' || name === 'AbortError') {
    const c = classifyAnswer('query', { type: 'timeout' });
    return new GatewayError(gateway, c.kind, 'request timed out', c.retryable, c.createdNothing);
  }
  const code = (error as { cause?: { code?: string } }).cause?.code;
  const c = classifyAnswer('query', { type: 'network', code });
  return new GatewayError(gateway, c.kind, `connection failed (${code ?? 'network error'})`, c.retryable, c.createdNothing);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
