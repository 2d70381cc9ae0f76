import Stripe from 'stripe';
import { GatewayError, type GatewayErrorKind } from '../gateway.js';
import { classifyAnswer, type Classification } from '../http/gateway-http.js';

export interface StripeCallContext {
  // e.g. "create payment intent"; goes into the message instead of Stripe's own text.
  what: string;
}

// A 5xx, a reset or a timeout may have been processed: an unknown outcome (ADR 0010), never a
// reason to try another gateway. Every call we make carries an Idempotency-Key derived from our
// own record id, so re-sending it later (the reconciler, a client's retry) returns Stripe's
// saved answer instead of acting twice.

// Turns an SDK error into a classified GatewayError. Only the error class, HTTP status and
// Stripe's machine-readable code are kept: Stripe's message text can echo card or customer data.
// Anything that is not a Stripe error (a bug) is returned unchanged.
export function classifyStripeError(error: unknown, context: StripeCallContext): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const { what } = context;
  const status = error.statusCode;
  const detail = [status === undefined ? null : `HTTP ${status}`, machineCode(error.code)].filter(Boolean).join(', ');
  const make = (kind: GatewayErrorKind, label: string, retryable: boolean, createdNothing: boolean) =>
    new GatewayError('stripe', kind, `${what}: ${label}${detail ? ` (${detail})` : ''}`, retryable, createdNothing);
  // The call is not known here: every Stripe call is read as money-moving (GATEWAY_CALLS.stripe),
  // so a query's 5xx is unknown too, which only delays an answer.
  const shared = (label: string, c: Classification) => make(c.kind, label, c.retryable, c.createdNothing);

  switch (error.type) {
    case 'StripeCardError':
      return make('declined', 'card declined', false, true);
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return make('auth', 'credentials rejected', false, true);
    case 'StripeInvalidRequestError':
    case 'StripeIdempotencyError':
      return make('invalid_request', 'invalid request', false, true);
    case 'StripeRateLimitError':
      // Rejected before any work was done.
      return make('unavailable', 'rate limited', true, true);
    case 'StripeConnectionError': {
      const code = (error.detail as { code?: unknown } | undefined)?.code;
      // Refused: the request never reached Stripe. Otherwise it may have been processed. The SDK
      // re-sends a POST once after a reset even with maxNetworkRetries 0 (RequestSender
      // _shouldRetry): when that re-send is refused, the first send may still have been executed,
      // and the SDK's message is the only trace of it.
      const resent = /Request was retried/.test(error.message);
      if (code === 'ETIMEDOUT') return shared('request timed out', classifyAnswer('moves-money', { type: 'timeout' }));
      const c = classifyAnswer('moves-money', { type: 'network', code: typeof code === 'string' && !resent ? code : undefined });
      return shared(`connection failed${typeof code === 'string' ? ` (${code})` : ''}`, c);
    }
    default:
      // StripeAPIError (5xx, 409, unreadable answers) and any class a later SDK adds.
      if (status === undefined) return make('unavailable', 'Stripe API error', true, false);
      return shared(status >= 400 && status < 500 && status !== 409 && status !== 408 ? 'rejected' : 'Stripe API error', classifyAnswer('moves-money', { type: 'http', status }));
  }
}

// Stripe's codes (card_declined, resource_missing, …) are fixed identifiers, safe to log.
function machineCode(code: unknown): string | null {
  return typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? code : null;
}
