import type { Clock } from '../domain/clock.js';
import { logger } from '../logging/logger.js';
import type { DueWork } from './ports.js';

// One reconciler run over one kind of open work is bounded, so it always ends inside the Lambda's
// timeout whatever is queued: at most `maxItems` items, `concurrency` at a time, and nothing new
// is started after `deadline` (ms since epoch, from the injected clock).
export interface RunBudget {
  maxItems: number;
  concurrency: number;
  deadline: number;
}

export interface RunResult {
  checked: number;
  settled: number;
}

// Pages through the due items (a cursor, never a scan) and hands each to `check`, which answers
// whether it resolved the item; an unresolved one is counted and moved to its next check time.
export async function runDueWork<T>(
  clock: Clock,
  budget: RunBudget,
  page: (cursor: string | null, limit: number) => Promise<DueWork<T>>,
  check: (item: T) => Promise<boolean>,
  reschedule: (item: T, checks: number) => Promise<unknown>,
): Promise<RunResult> {
  const result: RunResult = { checked: 0, settled: 0 };
  // Stopped on its budget with due work left: the next run takes it (worth a line in the log).
  const stopped = () => {
    logger.warn('reconciler run stopped on its budget; the rest waits for the next run', { ...result });
    return result;
  };
  let cursor: string | null = null;
  do {
    if (result.checked >= budget.maxItems || clock.now().getTime() >= budget.deadline) return stopped();
    const due: DueWork<T> = await page(cursor, Math.min(25, budget.maxItems - result.checked));
    cursor = due.cursor;
    for (let start = 0; start < due.items.length; start += budget.concurrency) {
      if (clock.now().getTime() >= budget.deadline) return stopped();
      const batch = due.items.slice(start, start + budget.concurrency);
      const outcomes = await Promise.all(
        batch.map(async ({ value, checks }) => {
          const settled = await check(value).catch((error: unknown) => {
            logger.warn('open work check failed; retried on its next check', { error: String(error) });
            return false;
          });
          if (!settled) await reschedule(value, checks + 1);
          return settled;
        }),
      );
      result.checked += batch.length;
      result.settled += outcomes.filter(Boolean).length;
    }
  } while (cursor !== null);
  return result;
}

// Defaults for the scheduled Lambda (2 min timeout): stop starting new checks after 80 s.
export const defaultBudget = (clock: Clock, overrides: Partial<RunBudget> = {}): RunBudget => ({
  maxItems: 200,
  concurrency: 4,
  deadline: clock.now().getTime() + 80_000,
  ...overrides,
});
