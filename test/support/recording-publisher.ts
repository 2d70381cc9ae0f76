import type { OutboundEvent } from '../../src/domain/payment-event.js';
import type { EventPublisher } from '../../src/events/event-publisher.js';

// Records what was published; can be told to fail the next N publishes.
export class RecordingPublisher implements EventPublisher {
  readonly published: OutboundEvent[] = [];
  private failuresLeft = 0;

  failNext(count: number): void {
    this.failuresLeft = count;
  }

  publish(event: OutboundEvent): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return Promise.reject(new Error('SNS unavailable'));
    }
    this.published.push(event);
    return Promise.resolve();
  }
}
