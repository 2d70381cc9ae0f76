import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { paymentEventFor, serializeEvent, type PaymentEvent } from '../../src/domain/payment-event.js';
import { LocalEventBus } from '../../src/events/local-event-bus.js';
import { EventListener } from '../support/event-listener.js';
import { sampleIntent } from '../support/intents.js';
import { ManualClock } from '../support/manual-clock.js';
import { PublishDeferred } from '../../src/events/event-publisher.js';

describe('LocalEventBus', () => {
  const clock = new ManualClock(new Date('2026-12-02T10:00:00Z'));
  const listener = new EventListener();
  let url: string;
  const completed = paymentEventFor(sampleIntent({ id: 'i-1' }), { eventId: 'e-1', type: 'payment.completed', paymentId: 'p-1', timestamp: 't' });
  const failed = paymentEventFor(sampleIntent({ id: 'i-2' }), { eventId: 'e-2', type: 'payment.failed', paymentId: null, timestamp: 't' });

  beforeAll(async () => {
    url = await listener.start();
  });
  afterAll(async () => {
    await listener.stop();
  });

  it('delivers to subscribers whose filter policy matches, like SNS', async () => {
    const bus = new LocalEventBus({ webhookUrl: null, clock });
    const kaba: PaymentEvent[] = [];
    const completions: PaymentEvent[] = [];
    const events: PaymentEvent[] = [];
    bus.subscribe('kaba', { appId: ['kaba'] }, async (e) => void kaba.push(e));
    bus.subscribe('completed', { eventType: ['payment.completed'] }, async (e) => void completions.push(e));
    bus.subscribe('events-app', { appId: ['events'] }, async (e) => void events.push(e));
    await bus.publish(completed);
    await bus.publish(failed);
    await bus.drain();
    expect(kaba.map((e) => e.eventId)).toEqual(['e-1', 'e-2']);
    expect(completions.map((e) => e.eventId)).toEqual(['e-1']);
    expect(events).toEqual([]);
  });

  it('a throwing subscriber neither rejects publish nor stops the others', async () => {
    const bus = new LocalEventBus({ webhookUrl: null, clock });
    const received: string[] = [];
    bus.subscribe('broken', {}, () => Promise.reject(new Error('boom')));
    bus.subscribe('ok', {}, async (e) => void received.push(e.eventId));
    await expect(bus.publish(completed)).resolves.toBeUndefined();
    await bus.drain();
    expect(received).toEqual(['e-1']);
  });

  it('a subscriber that throws before returning a promise is contained too', async () => {
    const bus = new LocalEventBus({ webhookUrl: null, clock });
    const received: string[] = [];
    bus.subscribe('sync-broken', {}, (): Promise<void> => {
      throw new Error('sync boom');
    });
    bus.subscribe('ok', {}, async (e) => void received.push(e.eventId));
    await expect(bus.publish(completed)).resolves.toBeUndefined();
    await bus.drain();
    expect(received).toEqual(['e-1']);
  });

  it('POSTs an SNS-shaped envelope to LOCAL_EVENT_WEBHOOK_URL', async () => {
    const requests: Array<RequestInit | undefined> = [];
    const fetchImpl: typeof fetch = (input, init) => {
      requests.push(init);
      return fetch(input, init);
    };
    const bus = new LocalEventBus({ webhookUrl: url, clock, fetchImpl });
    await bus.publish(completed);
    await bus.drain();
    await listener.waitFor(1);
    expect(requests.map((init) => [init?.method, new Headers(init?.headers).get('content-type')])).toEqual([['POST', 'application/json']]);
    expect(listener.received[0]?.body).toEqual({
      Message: serializeEvent(completed.event),
      MessageAttributes: {
        eventType: { Type: 'String', Value: 'payment.completed' },
        appId: { Type: 'String', Value: 'kaba' },
        gateway: { Type: 'String', Value: 'mock' },
        country: { Type: 'String', Value: 'BJ' },
      },
    });
  });

  it('a failing webhook rejects publish (the outbox keeps the event) and backs off 1 s, 2 s, 4 s… without re-invoking subscribers', async () => {
    let answer = 503;
    const posts: string[] = [];
    const fetchImpl: typeof fetch = (_input, init) => {
      posts.push(String(init?.body));
      return Promise.resolve(new Response(null, { status: answer }));
    };
    const bus = new LocalEventBus({ webhookUrl: 'http://127.0.0.1:9/events', clock, fetchImpl });
    const handled: string[] = [];
    bus.subscribe('all', {}, (event) => {
      handled.push(event.eventId);
      return Promise.resolve();
    });

    await expect(bus.publish(completed)).rejects.toThrow('LOCAL_EVENT_WEBHOOK_URL answered HTTP 503');
    // Before the first backoff (1 s) has passed, a retry sends nothing.
    clock.advance(999);
    await expect(bus.publish(completed)).rejects.toBeInstanceOf(PublishDeferred);
    clock.advance(1);
    await expect(bus.publish(completed)).rejects.toThrow('HTTP 503');
    clock.advance(1_999);
    await expect(bus.publish(completed)).rejects.toBeInstanceOf(PublishDeferred);
    clock.advance(1);
    answer = 204;
    await expect(bus.publish(completed)).resolves.toBeUndefined();
    await bus.drain();
    expect(posts).toHaveLength(3);
    expect(new Set(posts).size).toBe(1);
    // The in-process subscriber got the event once, not once per retry.
    expect(handled).toEqual(['e-1']);
  });
});
