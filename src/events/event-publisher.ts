import type { OutboundEvent } from '../domain/payment-event.js';

// Where committed events go: SNS in AWS, the in-process bus locally. A rejection means "not
// delivered"; the outbox keeps the event until a publish succeeds.
export interface EventPublisher {
  publish(event: OutboundEvent): Promise<void>;
}

// "Not now, keep it": a publisher backing off from a failing target (not an error to alarm on).
export class PublishDeferred extends Error {
  override readonly name = 'PublishDeferred';
}
