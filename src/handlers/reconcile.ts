import { buildServices, type AppServices } from '../app.services.js';
import { logger } from '../logging/logger.js';
import { handlerContext } from './handler-context.js';

let services: AppServices | undefined;

// Scheduled: re-publishes events still unpublished after the grace period (a lost stream
// record, a publish that kept failing) — delivery stays at-least-once — and follows pending
// disbursements until their provider gives a final answer.
export async function handler(): Promise<{ published: number; failed: number; disbursementsSettled: number }> {
  const deps = await handlerContext();
  services ??= buildServices(deps);
  const result = await deps.relay.sweep(deps.config.outboxGraceSeconds);
  const disbursements = await services.disburse.pollPending();
  logger.info('reconcile sweep', { ...result, disbursementsSettled: disbursements.settled });
  return { ...result, disbursementsSettled: disbursements.settled };
}
