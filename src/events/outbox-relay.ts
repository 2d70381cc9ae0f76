import type { Clock } from '../domain/clock.js';
import { logger } from '../logging/logger.js';
import type { OutboxRecord, OutboxStore } from '../services/ports.js';
import { forEachBounded } from './bounded-concurrency.js';
import { PublishDeferred, type EventPublisher } from './event-publisher.js';

// How many publishes one relay runs at once.
export const RELAY_CONCURRENCY = 10;

export interface SweepResult {
  published: number;
  failed: number;
}

// What else a published event starts (outbound webhooks, ADR 0019). `prepare` runs before the
// event is marked published and must be idempotent (a re-relay runs it again); the function it
// returns runs after the mark and must not throw.
export interface PublishFollowUp {
  prepare(record: OutboxRecord): Promise<(() => Promise<void>) | null>;
}

// Publishes committed outbox events and marks them published. Publishing first and marking
// second makes delivery at-least-once: a crash in between re-publishes, never loses.
export class OutboxRelay {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly followUp: PublishFollowUp | null = null,
  ) {}

  async relay(record: OutboxRecord): Promise<void> {
    try {
      await this.publisher.publish(record.event);
    } catch (error) {
      await this.outbox.dueForSweep(record, this.clock.now()).catch((cause: unknown) => logger.warn('could not queue the event for the sweep', { eventId: record.event.event.eventId, error: String(cause) }));
      throw error;
    }
    const next = this.followUp ? await this.followUp.prepare(record) : null;
    // The mark also lists the event in its app's event log (GET /api/v1/events).
    await this.outbox.markPublished(record, this.clock.now());
    if (next) await next();
  }

  // Re-publishes events still unpublished `graceSeconds` after their commit — for an event held by
  // its intent, after a failed publish or the intent's next check (ADR 0022) — a bounded number
  // at a time: one slow publish no longer holds up the whole batch.
  async sweep(graceSeconds: number, limit = 100, concurrency = RELAY_CONCURRENCY): Promise<SweepResult> {
    const before = new Date(this.clock.now().getTime() - graceSeconds * 1000).toISOString();
    const pending = await this.outbox.listUnpublished(before, limit);
    return this.relayAll(pending, concurrency);
  }

  async relayAll(records: OutboxRecord[], concurrency = RELAY_CONCURRENCY): Promise<SweepResult> {
    const result: SweepResult = { published: 0, failed: 0 };
    await forEachBounded(records, concurrency, async (record) => {
      try {
        await this.relay(record);
        result.published++;
      } catch (error) {
        result.failed++;
        const log = error instanceof PublishDeferred ? logger.debug : logger.error;
        log.call(logger, 'outbox publish failed; will retry', { eventId: record.event.event.eventId, error: String(error) });
      }
    });
    return result;
  }
}
