import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { serializeEvent, type OutboundEvent } from '../domain/payment-event.js';
import type { EventPublisher } from './event-publisher.js';

export class SnsEventPublisher implements EventPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish({ event, attributes }: OutboundEvent): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: serializeEvent(event),
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
        ),
      }),
    );
  }
}

export const createSnsPublisher = (region: string, topicArn: string): SnsEventPublisher =>
  new SnsEventPublisher(new SNSClient({ region }), topicArn);
