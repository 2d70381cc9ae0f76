import { PaymentsApiError, PaymentsNetworkError } from './errors.js';
import type {
  CreateDisbursementRequest,
  CreateIntentRequest,
  Disbursement,
  ErrorCode,
  GatewayList,
  IntentPage,
  ListIntentsQuery,
  PaymentIntent,
  PaymentIntentWithLedger,
  Refund,
  RefundRequest,
  VerifyKkiapayRequest,
  VerifyKkiapayResult,
} from './types.js';

export interface PaymentsClientOptions {
  // The API base, ending in /api/v1 (the stack's ApiBaseUrl; locally http://localhost:3002/api/v1).
  baseUrl: string;
  apiKey: string;
  // Per attempt; default 10 s.
  timeoutMs?: number;
  // Further attempts after the first, on network errors, timeouts, 5xx and 429; default 2.
  retries?: number;
  // First backoff; doubled on each retry (capped by maxBackoffMs); default 250 ms.
  backoffMs?: number;
  maxBackoffMs?: number;
  fetch?: typeof globalThis.fetch;
  // For tests: how to wait between attempts.
  sleep?: (ms: number) => Promise<void>;
  // For tests: how Idempotency-Keys are made; default crypto.randomUUID.
  newIdempotencyKey?: () => string;
}

export interface CallOptions {
  // One key per logical call; every retry of that call sends the same one. Pass your own (for
  // example derived from your order id) to make retries across processes safe too.
  idempotencyKey?: string;
}

type Method = 'GET' | 'POST';

interface ApiCall {
  method: Method;
  path: string;
  body?: unknown;
  idempotencyKey?: string;
}

const ERROR_CODES = new Set<string>([
  'VALIDATION_ERROR', 'UNAUTHORIZED', 'PAYMENT_ERROR', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'INTERNAL_ERROR', 'PAYMENT_GATEWAY_ERROR',
]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A typed client for every product-facing route of the payments API. It needs only `fetch`
// (Node 20+): no Nest, no AWS SDK. Every POST carries one Idempotency-Key per logical call, so
// its retries (network errors, timeouts, 5xx, 429, "still in progress") can never act twice.
export class PaymentsClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly newKey: () => string;

  constructor(private readonly options: PaymentsClientOptions) {
    if (!options.baseUrl) throw new Error('PaymentsClient: baseUrl is required (…/api/v1)');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = Math.max(0, options.retries ?? 2);
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep = options.sleep ?? defaultSleep;
    this.newKey = options.newIdempotencyKey ?? (() => globalThis.crypto.randomUUID());
  }

  createIntent(request: CreateIntentRequest, call: CallOptions = {}): Promise<PaymentIntent> {
    return this.post('/intents', request, call);
  }

  getIntent(intentId: string): Promise<PaymentIntentWithLedger> {
    return this.send({ method: 'GET', path: `/intents/${encodeURIComponent(intentId)}` });
  }

  // Intents of one referenceId, newest first; follow nextCursor for more.
  listIntents(query: ListIntentsQuery): Promise<IntentPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    return this.send({ method: 'GET', path: `/intents?${params.toString()}` });
  }

  refund(intentId: string, request: RefundRequest = {}, call: CallOptions = {}): Promise<Refund> {
    return this.post(`/intents/${encodeURIComponent(intentId)}/refund`, request, call);
  }

  // Naturally idempotent: cancelling a cancelled intent answers it again.
  cancelIntent(intentId: string, call: CallOptions = {}): Promise<PaymentIntent> {
    return this.post(`/intents/${encodeURIComponent(intentId)}/cancel`, undefined, call);
  }

  verifyKkiapay(request: VerifyKkiapayRequest, call: CallOptions = {}): Promise<VerifyKkiapayResult> {
    return this.post('/intents/verify-kkiapay', request, call);
  }

  // Operations key only: record the outcome of a manual refund done in a gateway's dashboard.
  confirmRefund(intentId: string, refundId: string, outcome: 'succeeded' | 'failed', call: CallOptions = {}): Promise<Refund> {
    return this.post(`/intents/${encodeURIComponent(intentId)}/refunds/${encodeURIComponent(refundId)}/confirm`, { outcome }, call);
  }

  createDisbursement(request: CreateDisbursementRequest, call: CallOptions = {}): Promise<Disbursement> {
    return this.post('/disbursements', request, call);
  }

  getDisbursement(disbursementId: string): Promise<Disbursement> {
    return this.send({ method: 'GET', path: `/disbursements/${encodeURIComponent(disbursementId)}` });
  }

  listGateways(): Promise<GatewayList> {
    return this.send({ method: 'GET', path: '/gateways' });
  }

  private post<T>(path: string, body: unknown, call: CallOptions): Promise<T> {
    return this.send({ method: 'POST', path, body, idempotencyKey: call.idempotencyKey ?? this.newKey() });
  }

  private async send<T>(request: ApiCall): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(request);
      const last = attempt >= this.retries;
      if (outcome.kind === 'ok') return outcome.value as T;
      if (last || !outcome.retryable) throw outcome.error;
      await this.sleep(this.delay(attempt, outcome.retryAfterMs));
    }
  }

  private delay(attempt: number, retryAfterMs: number | null): number {
    const backoff = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
    return retryAfterMs === null ? backoff : Math.min(this.maxBackoffMs, Math.max(backoff, retryAfterMs));
  }

  private async attempt(request: ApiCall): Promise<
    | { kind: 'ok'; value: unknown }
    | { kind: 'error'; error: Error; retryable: boolean; retryAfterMs: number | null }
  > {
    const headers: Record<string, string> = { 'X-API-Key': this.options.apiKey, Accept: 'application/json' };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
    const key = request.idempotencyKey ?? null;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      text = await response.text();
    } catch (cause) {
      const timedOut = signal.aborted;
      const message = timedOut
        ? `payments API did not answer ${request.method} ${request.path} within ${this.timeoutMs} ms`
        : `payments API unreachable for ${request.method} ${request.path}: ${describe(cause)}`;
      return { kind: 'error', error: new PaymentsNetworkError(message, timedOut, key, { cause }), retryable: true, retryAfterMs: null };
    }
    const body = parseJson(text);
    if (response.ok) return { kind: 'ok', value: body };
    const error = toApiError(response.status, body, key);
    return { kind: 'error', error, retryable: isRetryable(error, key), retryAfterMs: retryAfter(response.headers.get('retry-after')) };
  }
}

// fetch's "fetch failed" says little: its cause (ECONNREFUSED, ECONNRESET…) says what happened.
function describe(cause: unknown): string {
  const { message, cause: inner } = (typeof cause === 'object' && cause !== null ? cause : {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const detail = inner?.code ?? inner?.message;
  return [message ?? String(cause), detail].filter((part) => part !== undefined).join(': ');
}

function isRetryable(error: PaymentsApiError, idempotencyKey: string | null): boolean {
  if (error.statusCode === 429) return true;
  // Our own 502 is a certain refusal by the gateway (nothing charged): asking again at once would
  // refuse again. A 502 without our body (a proxy, API Gateway) is retried like any 5xx.
  if (error.statusCode === 502 && error.error === 'PAYMENT_GATEWAY_ERROR') return false;
  if (error.statusCode >= 500) return true;
  // The first try of this very call still runs on the server (our earlier attempt timed out).
  return error.statusCode === 409 && idempotencyKey !== null && /still in progress/i.test(error.message);
}

function toApiError(status: number, body: unknown, idempotencyKey: string | null): PaymentsApiError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof fields.error === 'string' && ERROR_CODES.has(fields.error) ? (fields.error as ErrorCode) : codeForStatus(status);
  const message = typeof fields.message === 'string' ? fields.message : `HTTP ${status}`;
  return new PaymentsApiError(status, code, message, idempotencyKey);
}

function codeForStatus(status: number): ErrorCode {
  const codes: Record<number, ErrorCode> = {
    400: 'VALIDATION_ERROR', 401: 'UNAUTHORIZED', 402: 'PAYMENT_ERROR', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED',
  };
  return codes[status] ?? 'INTERNAL_ERROR';
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// Retry-After in seconds (the service sends seconds); an HTTP date is ignored.
function retryAfter(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim()) * 1000;
}
