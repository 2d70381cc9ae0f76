import type { Clock } from '../domain/clock.js';
import { serializeEvent, type PaymentEvent } from '../domain/payment-event.js';
import { signedHeaders } from '../domain/standard-webhook.js';
import { displayUrl, signingSecretsAt, targetUrlFor, type WebhookEndpoint } from '../domain/webhook-endpoint.js';
import { nextAttemptAt, RESPONSE_EXCERPT_CHARS } from '../domain/webhook-schedule.js';
import { forEachBounded } from '../events/bounded-concurrency.js';
import type { PublishFollowUp } from '../events/outbox-relay.js';
import { logger } from '../logging/logger.js';
import type { OutboxRecord, PaymentLifecycleStore } from './ports.js';
import type { DeliveryAttempt, EventLog, WebhookDelivery, WebhookDeliveryStore, WebhookEndpointStore, WebhookSender } from './webhook-ports.js';
import { defaultBudget, runDueWork, type RunBudget, type RunResult } from './work-queue-run.js';

// A claimed delivery is someone's for this long (an attempt takes at most 10 s); a worker that
// died mid-attempt leaves it due again after that.
export const DELIVERY_LEASE_MS = 60_000;
// lastSuccessAt is refreshed at most this often (one endpoint write an hour, not one per event).
const SUCCESS_REFRESH_MS = 3_600_000;
// The attempt log kept per delivery (the schedule makes 22; manual redeliveries add to it).
const MAX_ATTEMPTS_KEPT = 50;
const USER_AGENT = 'tkh-payments-webhooks/1';

export type ReviewSink = Pick<PaymentLifecycleStore, 'storeForReview'>;

interface Created {
  delivery: WebhookDelivery;
  endpoint: WebhookEndpoint;
}

// Outbound webhooks from the outbox (ADR 0019): each event × matching endpoint is one delivery,
// attempted at once and then on the retry schedule until a 2xx or more than 72 h of failures.
export class WebhookDeliveryService implements PublishFollowUp {
  constructor(
    private readonly endpoints: WebhookEndpointStore,
    private readonly deliveries: WebhookDeliveryStore,
    private readonly events: EventLog,
    private readonly sender: WebhookSender,
    private readonly review: ReviewSink,
    private readonly clock: Clock,
  ) {}

  // The relay's first step after publishing: one delivery per enabled endpoint of the event's app,
  // created only once whatever the number of relays (conditional put on event × endpoint). An app
  // without endpoints costs one query and no write. Throws on a storage failure (the relay retries).
  async createDeliveries(record: OutboxRecord): Promise<Created[]> {
    const { event } = record.event;
    const enabled = (await this.endpoints.list(event.appId)).filter((endpoint) => endpoint.status === 'enabled');
    const created = await Promise.all(enabled.map((endpoint) => this.create(event, endpoint)));
    return created.filter((c): c is Created => c !== null);
  }

  // The relay's hook: deliveries created before the event is marked, first attempts after.
  async prepare(record: OutboxRecord): Promise<(() => Promise<void>) | null> {
    const created = await this.createDeliveries(record);
    return created.length === 0 ? null : () => this.attemptCreated(created, record.event.event);
  }

  // The relay's last step: the first attempt of each delivery it created. Never throws.
  async attemptCreated(created: Created[], event: PaymentEvent): Promise<void> {
    await Promise.all(created.map(({ delivery, endpoint }) => this.attemptSafely(delivery, event, endpoint, 'scheduled')));
  }

  // The reconciler's part: every delivery whose next attempt is due, within the run's budget.
  async attemptDue(overrides: Partial<RunBudget> = {}): Promise<RunResult> {
    return runDueWork(
      this.clock,
      defaultBudget(this.clock, overrides),
      (cursor, limit) => this.deliveries.listDue(this.clock.now().toISOString(), limit, cursor),
      async (queued) => {
        // The index may lag: a stale copy loses the claim and is skipped.
        const claimed = await this.deliveries.claim(queued, this.leaseEnd());
        if (!claimed) return false;
        const stored = await this.events.get(claimed.eventId);
        const endpoint = await this.endpoints.get(claimed.appId, claimed.endpointId);
        if (!stored) return this.close(claimed, 'event_expired');
        await this.attempt(claimed, stored.event, endpoint, 'scheduled');
        return true;
      },
      async () => undefined,
    );
  }

  // POST /events/:id/redeliver: one attempt now per endpoint (or the one named), also for given-up
  // deliveries and disabled endpoints (the app asked). An endpoint without a delivery gets one.
  async redeliver(event: PaymentEvent, endpoints: WebhookEndpoint[]): Promise<void> {
    await forEachBounded(endpoints, 4, async (endpoint) => {
      const existing = await this.deliveries.get(event.eventId, endpoint.id);
      if (!existing) {
        const created = await this.create(event, endpoint);
        // Its first attempt starts its schedule; asked for, it is made even to a disabled endpoint.
        if (created) await this.attemptSafely(created.delivery, event, endpoint, 'scheduled', true);
        return;
      }
      const claimed = await this.deliveries.claim(existing, this.leaseEnd());
      if (claimed) await this.attemptSafely(claimed, event, endpoint, 'manual');
    });
  }

  private async create(event: PaymentEvent, endpoint: WebhookEndpoint): Promise<Created | null> {
    const now = this.clock.now().toISOString();
    const delivery: WebhookDelivery = {
      eventId: event.eventId,
      endpointId: endpoint.id,
      appId: event.appId,
      eventType: event.type,
      status: 'pending',
      failedReason: null,
      scheduledAttempts: 0,
      nextAttemptAt: now,
      attempts: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return (await this.deliveries.createClaimed(delivery, this.leaseEnd())) ? { delivery, endpoint } : null;
  }

  private async attemptSafely(delivery: WebhookDelivery, event: PaymentEvent, endpoint: WebhookEndpoint, trigger: DeliveryAttempt['trigger'], asked = false): Promise<void> {
    try {
      await this.attempt(delivery, event, endpoint, trigger, asked);
    } catch (error) {
      // The claim's lease runs out and the reconciler tries again.
      logger.warn('webhook attempt not recorded; retried after its lease', { eventId: event.eventId, endpointId: endpoint.id, error: String(error) });
    }
  }

  // One attempt of a claimed delivery, recorded with what comes next. `asked`: the app asked for it
  // (redeliver), so a disabled endpoint is tried all the same.
  private async attempt(delivery: WebhookDelivery, event: PaymentEvent, endpoint: WebhookEndpoint | null, trigger: DeliveryAttempt['trigger'], asked = false): Promise<void> {
    if (!endpoint) return void (await this.close(delivery, 'endpoint_deleted'));
    if (trigger === 'scheduled' && !asked && endpoint.status === 'disabled') return void (await this.close(delivery, 'endpoint_disabled'));
    const sentAt = this.clock.now();
    const body = serializeEvent(event);
    const url = targetUrlFor(endpoint, event.type);
    const headers = { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signedHeaders(signingSecretsAt(endpoint, sentAt), event.eventId, sentAt, body) };
    const response = await this.sender.send({ url, headers, body });
    const succeeded = response.kind === 'answered' && response.status >= 200 && response.status < 300;
    const attempt: DeliveryAttempt = {
      at: sentAt.toISOString(),
      trigger,
      url: displayUrl(url),
      outcome: succeeded ? 'succeeded' : 'failed',
      responseStatus: response.kind === 'answered' ? response.status : null,
      latencyMs: response.latencyMs,
      responseExcerpt: response.kind === 'answered' ? response.excerpt.slice(0, RESPONSE_EXCERPT_CHARS) : null,
      error: response.kind === 'answered' ? (succeeded ? null : describeStatus(response.status)) : `${response.kind}: ${response.reason}`.slice(0, RESPONSE_EXCERPT_CHARS),
    };
    const next = this.afterAttempt(delivery, attempt, trigger);
    if (!(await this.deliveries.save(next, delivery.version))) {
      logger.warn('webhook attempt raced another worker; its record wins', { eventId: event.eventId, endpointId: endpoint.id });
      return;
    }
    logger.info('webhook attempt', { eventId: event.eventId, endpointId: endpoint.id, url: attempt.url, outcome: attempt.outcome, status: attempt.responseStatus, next: next.nextAttemptAt });
    if (succeeded) await this.noteSuccess(endpoint, attempt.at);
    else if (next.failedReason === 'exhausted') await this.disableIfFailing(next, endpoint, attempt);
  }

  private afterAttempt(delivery: WebhookDelivery, attempt: DeliveryAttempt, trigger: DeliveryAttempt['trigger']): WebhookDelivery {
    const now = this.clock.now();
    const common = { attempts: [...delivery.attempts, attempt].slice(-MAX_ATTEMPTS_KEPT), version: delivery.version + 1, updatedAt: now.toISOString() };
    const scheduledAttempts = delivery.scheduledAttempts + (trigger === 'scheduled' ? 1 : 0);
    if (attempt.outcome === 'succeeded') return { ...delivery, ...common, scheduledAttempts, status: 'delivered', failedReason: null, nextAttemptAt: null };
    // A manual attempt that fails leaves the delivery where it was (schedule running, or given up).
    if (trigger === 'manual') return { ...delivery, ...common };
    const next = nextAttemptAt(scheduledAttempts, now);
    return next === null
      ? { ...delivery, ...common, scheduledAttempts, status: 'failed', failedReason: 'exhausted', nextAttemptAt: null }
      : { ...delivery, ...common, scheduledAttempts, status: 'pending', failedReason: null, nextAttemptAt: next };
  }

  // No attempt: the endpoint is gone or disabled (or the event expired), so the delivery leaves the queue.
  private async close(delivery: WebhookDelivery, reason: 'endpoint_deleted' | 'endpoint_disabled' | 'event_expired'): Promise<boolean> {
    const now = this.clock.now().toISOString();
    await this.deliveries.save({ ...delivery, status: 'failed', failedReason: reason, nextAttemptAt: null, version: delivery.version + 1, updatedAt: now }, delivery.version);
    return true;
  }

  private async noteSuccess(endpoint: WebhookEndpoint, at: string): Promise<void> {
    const staleBefore = new Date(new Date(at).getTime() - SUCCESS_REFRESH_MS).toISOString();
    if (endpoint.lastSuccessAt !== null && endpoint.lastSuccessAt >= staleBefore) return;
    await this.endpoints.recordSuccess(endpoint.appId, endpoint.id, at, staleBefore);
  }

  // A delivery failed every attempt for more than 72 h. The endpoint is disabled only if nothing
  // reached it in that time either (one success in the window means it is this event, not the
  // endpoint); the operator sees a review item (ADR 0015's view and alarm).
  private async disableIfFailing(delivery: WebhookDelivery, endpoint: WebhookEndpoint, last: DeliveryAttempt): Promise<void> {
    const fresh = await this.endpoints.get(endpoint.appId, endpoint.id);
    if (!fresh || fresh.status === 'disabled') return;
    const windowStart = new Date(new Date(delivery.createdAt).getTime() - SUCCESS_REFRESH_MS).toISOString();
    if (fresh.lastSuccessAt !== null && fresh.lastSuccessAt >= windowStart) return;
    const now = this.clock.now();
    const disabled: WebhookEndpoint = { ...fresh, status: 'disabled', disabledReason: 'failing', disabledAt: now.toISOString(), version: fresh.version + 1, updatedAt: now.toISOString() };
    if (!(await this.endpoints.update(disabled, fresh.version))) return;
    const detail = {
      appId: fresh.appId,
      endpointId: fresh.id,
      url: displayUrl(fresh.url),
      eventId: delivery.eventId,
      attempts: delivery.scheduledAttempts,
      lastStatus: last.responseStatus,
      lastError: last.error,
    };
    logger.warn('webhook endpoint disabled: every attempt failed for over 72 h', detail);
    await this.review.storeForReview({ gateway: 'webhooks', eventId: `${fresh.id}:${disabled.disabledAt}`, reason: 'webhook_endpoint_disabled', detail }, now);
  }

  private leaseEnd(): string {
    return new Date(this.clock.now().getTime() + DELIVERY_LEASE_MS).toISOString();
  }
}

function describeStatus(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status}: redirects are not followed`;
  return `HTTP ${status}`;
}
