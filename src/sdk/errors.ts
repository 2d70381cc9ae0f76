import type { ErrorCode } from './types.js';

// The service answered with an error: its { statusCode, error, message } body, as sent. A body
// that is not ours (a proxy's 502 page) still gives the HTTP status, with INTERNAL_ERROR.
export class PaymentsApiError extends Error {
  override readonly name = 'PaymentsApiError';

  constructor(
    readonly statusCode: number,
    readonly error: ErrorCode,
    message: string,
    // The Idempotency-Key the call used: retry with it to be sure nothing happens twice.
    readonly idempotencyKey: string | null = null,
  ) {
    super(message);
  }
}

// No answer: connection refused or reset, DNS, or the timeout. A POST may still have been
// applied: retry it with `idempotencyKey` (the client's own retries already did).
export class PaymentsNetworkError extends Error {
  override readonly name = 'PaymentsNetworkError';

  constructor(
    message: string,
    readonly timedOut: boolean,
    readonly idempotencyKey: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isPaymentsApiError = (error: unknown): error is PaymentsApiError => error instanceof PaymentsApiError;
