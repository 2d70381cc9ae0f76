import { assertUnreachable, type ErrorCode } from '../domain/errors.js';

// The one table from domain error codes to HTTP statuses; a new code without a row fails to compile.
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_ERROR':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'PAYMENT_ERROR':
      return 402;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL_ERROR':
      return 500;
    case 'PAYMENT_GATEWAY_ERROR':
      return 502;
    default:
      return assertUnreachable(code);
  }
}

// For errors raised by the framework itself (unknown route, bad method…), which carry a status.
export function errorCodeForStatus(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: 'VALIDATION_ERROR',
    401: 'UNAUTHORIZED',
    402: 'PAYMENT_ERROR',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'NOT_FOUND',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
    502: 'PAYMENT_GATEWAY_ERROR',
  };
  return byStatus[status] ?? 'INTERNAL_ERROR';
}

export interface ErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
}

export const errorBody = (code: ErrorCode, message: string): ErrorBody => ({
  statusCode: httpStatusFor(code),
  error: code,
  message,
});
