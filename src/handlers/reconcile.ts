import { logger } from '../logging/logger.js';
import { handlerContext } from './handler-context.js';

// Scheduled: re-publishes events still unpublished after the grace period (a lost stream
// record, a publish that kept failing). Delivery stays at-least-once.
export async function handler(): Promise<{ published: number; failed: number }> {
  const { relay, config } = handlerContext();
  const result = await relay.sweep(config.outboxGraceSeconds);
  logger.info('reconcile sweep', { ...result });
  return result;
}
