import type { GatewayId } from '../../domain/gateway-id.js';
import { GatewayError } from '../gateway.js';

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

// Classifies a non-2xx answer. A 5xx is "created nothing" only for calls that cannot move money
// by themselves (tokens, status queries, creates whose result is inert until its URL or secret
// reaches the customer); for a call that moves money (`movesMoney`: a refund, a payout, a push to
// a phone) the gateway may have acted before failing, so it is an unknown outcome.
export function httpError(
  gateway: GatewayId | 'moov',
  status: number,
  what: string,
  options: { declined?: boolean; movesMoney?: boolean } = {},
): GatewayError {
  if (status === 401 || status === 403) return new GatewayError(gateway, 'auth', `${what}: HTTP ${status} (credentials rejected)`, false, true);
  if (status === 408 || status === 504) return new GatewayError(gateway, 'timeout', `${what}: HTTP ${status}`, true, false);
  // 429: rejected before any work was done.
  if (status === 429) return new GatewayError(gateway, 'unavailable', `${what}: HTTP ${status}`, true, true);
  if (status >= 500) return new GatewayError(gateway, 'unavailable', `${what}: HTTP ${status}`, true, options.movesMoney !== true);
  if (options.declined) return new GatewayError(gateway, 'declined', `${what}: declined (HTTP ${status})`, false, true);
  return new GatewayError(gateway, 'invalid_request', `${what}: HTTP ${status}`, false, true);
}

function networkError(gateway: GatewayId | 'moov', error: unknown): GatewayError {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    // We do not know whether the gateway acted on it: never fall back after this.
    return new GatewayError(gateway, 'timeout', 'request timed out', true, false);
  }
  const code = (error as { cause?: { code?: string } }).cause?.code;
  // Refused or unresolvable: the request never reached the gateway.
  const reachedNothing = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new GatewayError(gateway, 'unavailable', `connection failed (${code ?? 'network error'})`, true, reachedNothing);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
