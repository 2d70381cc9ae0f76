// When the reconciler looks at open work again: soon at first, then further apart, so an item
// that cannot be resolved moves out of the way of newer ones (issue 10). Delays in ms, by the
// number of checks already made; the last one repeats.
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const CHECK_SCHEDULES = {
  // A push waits on the customer's phone: ask early (Hyperswitch's first sync is at 60 s).
  pushIntent: [30 * SECOND, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR],
  // Redirect, client-secret and widget payments: the customer may take a while on the page.
  intent: [2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR],
  // A lost refund answer is asked about once no request for it can still be in flight.
  refund: [5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR, 24 * HOUR],
  // An accepted transfer is followed from the next run on (MoMo settles within minutes).
  payout: [0, MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR, 24 * HOUR],
} as const;

export type CheckSchedule = keyof typeof CHECK_SCHEDULES;

export function checkDelay(schedule: CheckSchedule, checksDone: number): number {
  const delays: readonly number[] = CHECK_SCHEDULES[schedule];
  return delays[Math.min(Math.max(checksDone, 0), delays.length - 1)] as number;
}

// The ISO time of the next check after `from`.
export function nextCheckAt(schedule: CheckSchedule, checksDone: number, from: string | Date): string {
  return new Date(new Date(from).getTime() + checkDelay(schedule, checksDone)).toISOString();
}

export const intentSchedule = (paymentMode: string): CheckSchedule => (paymentMode === 'push' ? 'pushIntent' : 'intent');
