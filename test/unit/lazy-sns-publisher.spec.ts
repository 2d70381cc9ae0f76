import { afterEach, describe, expect, it } from '@jest/globals';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { paymentEventFor } from '../../src/domain/payment-event.js';
import { LazySnsPublisher } from '../../src/events/lazy-sns-publisher.js';
import { sampleIntent } from '../support/intents.js';

const TOPIC = 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-dev';

// The SNS client is created on the first publish (ADR 0020) and then reused.
describe('LazySnsPublisher', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => {
    sns.reset();
  });
  const outbound = paymentEventFor(sampleIntent({ id: 'i-1' }), { eventId: 'e-1', type: 'payment.completed', paymentId: 'p-1', timestamp: '2026-03-08T12:05:00.000Z' });

  it('publishes each event to the topic through one client', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const publisher = new LazySnsPublisher('ca-central-1', TOPIC);
    await publisher.publish(outbound);
    await publisher.publish(outbound);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls.map((call) => call.args[0].input.TopicArn)).toEqual([TOPIC, TOPIC]);
    expect(calls[0]?.thisValue).toBe(calls[1]?.thisValue);
  });

  it('lets a failed publish reject, so the relay retries', async () => {
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    await expect(new LazySnsPublisher('ca-central-1', TOPIC).publish(outbound)).rejects.toThrow('Throttling');
  });
});
