import { serializeEvent, type OutboundEvent, type PaymentEvent } from '../domain/payment-event.js';
import { logger } from '../logging/logger.js';
import type { EventPublisher } from './event-publisher.js';
import { matchesFilterPolicy, type FilterPolicy } from './filter-policy.js';

type Subscriber = { name: string; policy: FilterPolicy; handler: (event: PaymentEvent) => Promise<void> };

// The local stand-in for the SNS topic: filter-policy delivery to in-process subscribers and,
// when LOCAL_EVENT_WEBHOOK_URL is set, an SNS-shaped POST to that URL. Like SNS, publish
// resolves once accepted; delivery failures are logged, never thrown back at the publisher.
export class LocalEventBus implements EventPublisher {
  private readonly subscribers: Subscriber[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: { webhookUrl: string | null; fetchImpl?: typeof fetch }) {
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  subscribe(name: string, policy: FilterPolicy, handler: (event: PaymentEvent) => Promise<void>): void {
    this.subscribers.push({ name, policy, handler });
  }

  publish(outbound: OutboundEvent): Promise<void> {
    const { event, attributes } = outbound;
    logger.info('event published', { eventId: event.eventId, type: event.type, intentId: event.intentId, appId: event.appId });
    const attributeMap: Record<string, string> = { ...attributes };
    for (const subscriber of this.subscribers) {
      if (!matchesFilterPolicy(subscriber.policy, attributeMap)) continue;
      // Started on a microtask: a handler that throws before its first await must not escape publish.
      const delivery = Promise.resolve().then(() => subscriber.handler(event));
      this.track(delivery, `subscriber ${subscriber.name}`, event.eventId);
    }
    if (this.options.webhookUrl) this.track(this.postToWebhook(outbound, this.options.webhookUrl), 'webhook', event.eventId);
    return Promise.resolve();
  }

  // Resolves once every delivery started so far has settled.
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async postToWebhook({ event, attributes }: OutboundEvent, url: string): Promise<void> {
    const response = await this.fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        Message: serializeEvent(event),
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [name, { Type: 'String', Value: value }]),
        ),
      }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  }

  private track(delivery: Promise<void>, target: string, eventId: string): void {
    const settled = delivery.catch((error: unknown) => {
      logger.error('local event delivery failed', { target, eventId, error: String(error) });
    });
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }
}
