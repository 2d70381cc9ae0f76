import { serializeEvent, type OutboundEvent } from '../domain/payment-event.js';
import type { Clock } from '../domain/clock.js';
import { PublishDeferred } from './event-publisher.js';

// After the n-th failed POST of an event, the next one waits this long (the last repeats): like
// an SNS HTTP delivery policy, quick retries first, then once a minute until the listener is up.
export const LOCAL_WEBHOOK_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000] as const;
const POST_TIMEOUT_MS = 5_000;

// An SNS-shaped POST of each event to LOCAL_EVENT_WEBHOOK_URL. A failure rejects, so the outbox
// keeps the event and its sweep tries again; before the backoff has passed, the try is deferred
// without a request. Backoff state is in memory: after a restart the outbox still has the event.
export class LocalWebhookDelivery {
  private readonly failures = new Map<string, { attempts: number; nextAttemptAt: number }>();

  constructor(
    private readonly url: string,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async deliver({ event, attributes }: OutboundEvent): Promise<void> {
    const failed = this.failures.get(event.eventId);
    const now = this.clock.now().getTime();
    if (failed && now < failed.nextAttemptAt) {
      throw new PublishDeferred(`LOCAL_EVENT_WEBHOOK_URL retry ${failed.attempts + 1} of ${event.eventId} is due at ${new Date(failed.nextAttemptAt).toISOString()}`);
    }
    try {
      const response = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          Message: serializeEvent(event),
          MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { Type: 'String', Value: value }])),
        }),
        redirect: 'manual',
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`LOCAL_EVENT_WEBHOOK_URL answered HTTP ${response.status}`);
      this.failures.delete(event.eventId);
    } catch (error) {
      const attempts = (failed?.attempts ?? 0) + 1;
      const wait = LOCAL_WEBHOOK_BACKOFF_MS[Math.min(attempts, LOCAL_WEBHOOK_BACKOFF_MS.length) - 1] ?? 60_000;
      this.failures.set(event.eventId, { attempts, nextAttemptAt: now + wait });
      throw error;
    }
  }
}
