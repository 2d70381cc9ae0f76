import { validationError } from '../domain/errors.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw validationError('Idempotency-Key header must be 1-255 printable ASCII characters without spaces');
  }
  return value;
}
