import { buildServices, type AppServices } from '../app.services.js';
import { logger } from '../logging/logger.js';
import { handlerContext } from './handler-context.js';

let services: AppServices | undefined;

// Open intents are re-checked with their gateway after this long without news.
const STALE_INTENT_SECONDS = 10 * 60;

// Scheduled: re-publishes events still unpublished after the grace period (a lost stream
// record, a publish that kept failing) — delivery stays at-least-once —, re-checks intents
// whose webhook never came (or whose create answer was lost), settles refunds whose gateway
// answer was lost, and follows pending disbursements to a final answer.
export async function handler(): Promise<{ published: number; failed: number; intentsSettled: number; refundsSettled: number; disbursementsSettled: number }> {
  const deps = await handlerContext();
  services ??= buildServices(deps);
  const result = await deps.relay.sweep(deps.config.outboxGraceSeconds);
  const intents = await services.reconcileIntents.checkStale(STALE_INTENT_SECONDS);
  const refunds = await services.reconcileRefunds.checkOpen();
  const disbursements = await services.disburse.pollPending();
  const summary = { ...result, intentsSettled: intents.settled, refundsSettled: refunds.settled, disbursementsSettled: disbursements.settled };
  logger.info('reconcile sweep', summary);
  return summary;
}
