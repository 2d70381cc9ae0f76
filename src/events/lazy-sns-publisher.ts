import type { OutboundEvent } from '../domain/payment-event.js';
import type { EventPublisher } from './event-publisher.js';

// SNS, with its SDK client read on the first publish: the API Lambda commits events to the outbox
// and never publishes (the stream-driven relay does), so it never loads @aws-sdk/client-sns.
export class LazySnsPublisher implements EventPublisher {
  private publisher: Promise<EventPublisher> | null = null;

  constructor(
    private readonly region: string,
    private readonly topicArn: string,
  ) {}

  async publish(event: OutboundEvent): Promise<void> {
    this.publisher ??= import('./sns-event-publisher.js').then(
      ({ createSnsPublisher }) => createSnsPublisher(this.region, this.topicArn),
      (error: unknown) => {
        this.publisher = null; // a failed load is tried again by the next publish
        throw error;
      },
    );
    await (await this.publisher).publish(event);
  }
}
