import { buildServices, type AppServices } from '../app.services.js';
import { emfLine } from '../logging/emf.js';
import { logger } from '../logging/logger.js';
import { handlerContext } from './handler-context.js';

let services: AppServices | undefined;

// The Lambda has 2 minutes and runs every minute (webhook retries come within seconds, ADR 0019):
// no new check starts after this (a gateway or webhook call may take 10 s more), so a run
// normally ends before the next one starts.
const RUN_BUDGET_MS = 45_000;

// Scheduled: re-publishes events still unpublished after the grace period (a lost stream
// record, a publish that kept failing) — delivery stays at-least-once —, re-checks intents
// whose webhook never came (or whose create answer was lost), settles refunds whose gateway
// answer was lost, follows pending disbursements to a final answer, and retries due webhooks.
export async function handler(): Promise<{ published: number; failed: number; intentsSettled: number; refundsSettled: number; disbursementsSettled: number; webhooksAttempted: number }> {
  const deps = await handlerContext();
  services ??= await buildServices(deps);
  // One deadline for the whole run, shared by the four queues.
  const budget = { deadline: deps.clock.now().getTime() + RUN_BUDGET_MS };
  const result = await deps.relay.sweep(deps.config.outboxGraceSeconds);
  const intents = await services.reconcileIntents.checkDue(budget);
  const refunds = await services.reconcileRefunds.checkDue(budget);
  const disbursements = await services.disburse.pollPending(budget);
  // Due webhook retries (ADR 0019), last: money work goes first within the shared deadline.
  const webhooks = await (await deps.webhooks()).delivery.attemptDue(budget);
  await emitOpsMetrics(services, deps);
  const summary = { ...result, intentsSettled: intents.settled, refundsSettled: refunds.settled, disbursementsSettled: disbursements.settled, webhooksAttempted: webhooks.settled };
  logger.info('reconcile sweep', summary);
  return summary;
}

// The alarms on review items and old unknown outcomes read these (CloudWatch Embedded Metric
// Format, one plain line on stdout). A failure here never fails the run.
async function emitOpsMetrics(app: AppServices, deps: Awaited<ReturnType<typeof handlerContext>>): Promise<void> {
  try {
    const metrics = await app.ops.metrics(deps.clock.now());
    process.stdout.write(`${emfLine(metrics, deps.config.metricsEnv, deps.clock.now())}\n`);
  } catch (error) {
    logger.warn('ops metrics failed', { error: String(error) });
  }
}
