import { logger } from '../logging/logger.js';
import type { OutboxDispatcher, OutboxRecord } from '../services/ports.js';
import type { OutboxRelay } from './outbox-relay.js';

// In AWS the table's stream feeds the relay Lambda, so nothing happens in the request.
export const streamDrivenDispatcher: OutboxDispatcher = { dispatch: () => undefined };

// Locally the relay runs right after each commit; a failure leaves the event for the sweep.
export class ImmediateOutboxDispatcher implements OutboxDispatcher {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly relay: OutboxRelay) {}

  dispatch(records: OutboxRecord[]): void {
    for (const record of records) {
      const delivery = this.relay.relay(record).catch((error: unknown) => {
        logger.warn('immediate publish failed; the sweep will retry', {
          eventId: record.event.event.eventId,
          error: String(error),
        });
      });
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    }
  }

  // Resolves when every dispatch started so far has settled (tests and shutdown use it).
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
