import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { paymentEventFor } from '../../src/domain/payment-event.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import { createSnsClient, SnsEventPublisher, SNS_TIMEOUTS } from '../../src/events/sns-event-publisher.js';
import { createSsmClient, loadSsmParameters, SSM_TIMEOUTS } from '../../src/config/ssm-parameters.js';
import type { OutboxRecord, OutboxStore } from '../../src/services/ports.js';
import { sampleIntent } from '../support/intents.js';
import { ManualClock } from '../support/manual-clock.js';
import { SilentTcpServer } from '../support/silent-tcp-server.js';

const TOPIC = 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-dev';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
// Short timeouts so the test is quick; the production values are asserted separately.
const FAST = { connectionTimeoutMs: 200, requestTimeoutMs: 300, maxAttempts: 1 };
const record = (i: number): OutboxRecord => ({
  event: paymentEventFor(sampleIntent({ id: `i-${i}` }), { eventId: `e-${i}`, type: 'payment.completed', paymentId: `p-${i}`, timestamp: '2026-03-08T12:05:00.000Z' }),
  createdAt: '2026-03-08T12:05:00.000Z',
});

describe('outbound calls give up instead of hanging (issue 14)', () => {
  const silent = new SilentTcpServer();
  beforeAll(async () => {
    await silent.start();
  });
  afterAll(async () => {
    await silent.stop();
  });

  it('production timeouts are set for SNS and SSM', () => {
    expect(SNS_TIMEOUTS).toEqual({ connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000, maxAttempts: 2 });
    expect(SSM_TIMEOUTS).toEqual({ connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000, maxAttempts: 3 });
  });

  it('SNS accepting and never answering: publish rejects after the request timeout', async () => {
    const sns = createSnsClient({ region: 'ca-central-1', endpoint: silent.url, credentials }, FAST);
    const started = Date.now();
    await expect(new SnsEventPublisher(sns, TOPIC).publish(record(1).event)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(silent.connections).toBeGreaterThan(0);
    sns.destroy();
  });

  it('SSM accepting and never answering: the loader rejects after the request timeout', async () => {
    const ssm = createSsmClient({ region: 'ca-central-1', endpoint: silent.url, credentials }, FAST);
    await expect(loadSsmParameters('/payments/dev/', ssm)).rejects.toThrow();
    ssm.destroy();
  });
});

describe('outbox relay publishes a batch concurrently, with a bound', () => {
  it('one hanging publish does not hold up the rest, and no more than the bound run at once', async () => {
    let running = 0;
    let peak = 0;
    const published: string[] = [];
    let releaseHung: () => void = () => undefined;
    const publisher = {
      publish: async ({ event }: OutboxRecord['event']) => {
        running += 1;
        peak = Math.max(peak, running);
        if (event.eventId === 'e-0') await new Promise<void>((resolve) => (releaseHung = resolve));
        else await Promise.resolve();
        running -= 1;
        published.push(event.eventId);
      },
    };
    const marked: string[] = [];
    const store = {
      listUnpublished: () => Promise.resolve(Array.from({ length: 12 }, (_, i) => record(i))),
      markPublished: (published: OutboxRecord) => {
        marked.push(published.event.event.eventId);
        return Promise.resolve();
      },
    } as unknown as OutboxStore;
    const relay = new OutboxRelay(store, publisher, new ManualClock(new Date('2026-03-08T12:10:00Z')));
    const sweep = relay.sweep(60, 100, 3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toHaveLength(11);
    expect(peak).toBeLessThanOrEqual(3);
    releaseHung();
    expect(await sweep).toEqual({ published: 12, failed: 0 });
    expect(marked).toHaveLength(12);
  });
});
