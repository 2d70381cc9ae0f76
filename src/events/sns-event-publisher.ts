import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { serializeEvent, type OutboundEvent } from '../domain/payment-event.js';
import type { EventPublisher } from './event-publisher.js';

// SNS that accepts a connection and never answers must not hang the relay (issue 14): each
// attempt gives up after these, and one retry is enough (the outbox keeps what failed).
export const SNS_TIMEOUTS = { connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000, maxAttempts: 2 } as const;

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

type SnsTimeouts = { connectionTimeoutMs: number; requestTimeoutMs: number; maxAttempts: number };

export const createSnsClient = (config: SNSClientConfig, timeouts: SnsTimeouts = SNS_TIMEOUTS): SNSClient =>
  new SNSClient({
    maxAttempts: timeouts.maxAttempts,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
    requestHandler: { connectionTimeout: timeouts.connectionTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, throwOnRequestTimeout: true },
    ...config,
  });

export const createSnsPublisher = (region: string, topicArn: string): SnsEventPublisher =>
  new SnsEventPublisher(createSnsClient({ region }), topicArn);
