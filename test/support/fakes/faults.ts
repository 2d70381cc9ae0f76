// What a fake does to the next request of a route, to reproduce the failures that make
// payment code double-charge or lose money:
// - act-then-500:   the effect happens (resource stored, money moved), the answer is HTTP 500.
// - act-then-reset: the effect happens, then the socket is reset without any answer.
// - act-then-hang:  the effect happens, then nothing is ever sent (the client's timeout fires).
// - refuse-503:     HTTP 503 and NO effect (what "certainly created nothing" looks like).
export type FaultMode = 'act-then-500' | 'act-then-reset' | 'act-then-hang' | 'refuse-503';

// Faults queued per route key ("METHOD /pattern"); each matching request takes the oldest
// one, and once a route's queue is empty it behaves normally again.
export class FaultQueue<Route extends string = string> {
  private readonly queues = new Map<Route, FaultMode[]>();

  add(route: Route, mode: FaultMode, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    const queue = this.queues.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(mode);
    this.queues.set(route, queue);
  }

  take(route: Route): FaultMode | undefined {
    return this.queues.get(route)?.shift();
  }

  // Faults not yet consumed: for one route, or all routes together.
  pending(route?: Route): number {
    if (route !== undefined) return this.queues.get(route)?.length ?? 0;
    let total = 0;
    for (const queue of this.queues.values()) total += queue.length;
    return total;
  }

  clear(): void {
    this.queues.clear();
  }
}
