import type { Clock } from '../domain/clock.js';

// One status re-query per reference per window, so whoever spams an unsigned callback route
// (/webhooks/momo/<ref>) cannot make us call the gateway as fast as they send.
export const REQUERY_WINDOW_MS = 10_000;
// Bounds the memory a flood of distinct (known) references can take.
const MAX_TRACKED = 10_000;

// In memory, per process: on Lambda each warm instance keeps its own window, so N concurrent
// instances allow up to N re-queries per window; callbacks that are skipped lose nothing, since
// the reconciler polls every open intent anyway (ADR 0018).
export class RequeryThrottle {
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = REQUERY_WINDOW_MS,
  ) {}

  // true: go ahead and ask the gateway (and the window starts now); false: asked too recently.
  tryAcquire(key: string): boolean {
    const now = this.clock.now().getTime();
    const last = this.lastAt.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.lastAt.delete(key);
    if (this.lastAt.size >= MAX_TRACKED) this.evict(now);
    this.lastAt.set(key, now);
    return true;
  }

  // Expired entries first; if all are fresh, the oldest (Map keeps insertion order).
  private evict(now: number): void {
    for (const [key, at] of this.lastAt) if (now - at >= this.windowMs) this.lastAt.delete(key);
    while (this.lastAt.size >= MAX_TRACKED) {
      const oldest = this.lastAt.keys().next().value;
      if (oldest === undefined) break;
      this.lastAt.delete(oldest);
    }
  }
}
