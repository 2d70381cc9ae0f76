// Domain errors carry a string code; the API layer maps each code to an HTTP status in one table.
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYMENT_ERROR'
  | 'PAYMENT_GATEWAY_ERROR'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (message: string): DomainError => new DomainError('VALIDATION_ERROR', message);

export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable: ${String(value)}`);
}
