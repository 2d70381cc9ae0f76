import { afterEach, describe, expect, it } from '@jest/globals';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { paymentEventFor } from '../../src/domain/payment-event.js';
import { SnsEventPublisher } from '../../src/events/sns-event-publisher.js';
import { sampleIntent } from '../support/intents.js';

const TOPIC = 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-dev';

describe('SnsEventPublisher', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => {
    sns.reset();
  });
  const outbound = paymentEventFor(sampleIntent({ id: 'i-1' }), { eventId: 'e-1', type: 'payment.completed', paymentId: 'p-1', timestamp: '2026-03-08T12:05:00.000Z' });

  it('sends the exact PublishCommand: topic, seed-schema body, String attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsEventPublisher(new SNSClient({ region: 'ca-central-1' }), TOPIC).publish(outbound);
    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Message:
          '{"type":"payment.completed","eventId":"e-1","intentId":"i-1","paymentId":"p-1","refundId":null,"disbursementId":null,' +
          '"appId":"kaba","referenceId":"invoice-abc123","businessId":"biz-xyz","amount":500000,"currency":"XOF","gateway":"mock",' +
          '"timestamp":"2026-03-08T12:05:00.000Z","refundStatus":null}',
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'payment.completed' },
          appId: { DataType: 'String', StringValue: 'kaba' },
          gateway: { DataType: 'String', StringValue: 'mock' },
          country: { DataType: 'String', StringValue: 'BJ' },
        },
      },
    ]);
  });

  it('lets a failed publish reject, so the relay retries', async () => {
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    await expect(new SnsEventPublisher(new SNSClient({ region: 'ca-central-1' }), TOPIC).publish(outbound)).rejects.toThrow('Throttling');
  });
});
