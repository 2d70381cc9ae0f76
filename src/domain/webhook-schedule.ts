// When a failed webhook delivery is tried again (ADR 0019): soon at first, then every 5 h until
// more than 72 h have passed since the first attempt. Delays after attempt 1, 2, …; once they are
// used up the delivery is given up ("exhausted").
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const EARLY = [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR];
// 3 h 42 min 35 s of early retries, then 14 × 5 h: the last attempt is 73 h 42 min 35 s after the first.
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [...EARLY, ...Array.from({ length: 14 }, () => 5 * HOUR)];

// Attempts a delivery gets on its schedule (the first one plus every retry).
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

// The next attempt after `attemptsMade` scheduled attempts failed, or null: exhausted.
export function nextAttemptAt(attemptsMade: number, lastAttemptAt: Date): string | null {
  const delay = WEBHOOK_RETRY_DELAYS_MS[attemptsMade - 1];
  return delay === undefined ? null : new Date(lastAttemptAt.getTime() + delay).toISOString();
}

// The per-attempt cap: a receiver that accepts the connection and never answers costs at most this.
export const WEBHOOK_MAX_TIMEOUT_MS = 10_000;
// What is kept of a receiver's answer (never the whole body).
export const RESPONSE_EXCERPT_CHARS = 256;
