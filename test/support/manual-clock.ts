import type { Clock } from '../../src/domain/clock.js';

// A clock tests move by hand: expiry and tolerance are tested without sleeping.
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  set(at: Date): void {
    this.current = at;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
