import { DomainError, validationError } from '../domain/errors.js';
import type { PaymentEvent } from '../domain/payment-event.js';
import { appScope } from './app-scope.js';
import type { Principal } from './principal.js';
import type { WebhookDeliveryService } from './webhook-delivery.service.js';
import type { EventLog, EventPage, StoredEvent, WebhookDelivery, WebhookDeliveryStore, WebhookEndpointStore } from './webhook-ports.js';

export interface ListEventsQuery {
  appId?: string;
  type?: string;
  since?: string;
  cursor?: string;
  limit?: number;
}

export interface EventWithDeliveries {
  stored: StoredEvent;
  deliveries: WebhookDelivery[];
}

export const DEFAULT_EVENT_PAGE = 20;
const MAX_ID_LENGTH = 255;

// GET /api/v1/events, GET /api/v1/events/:id, POST /api/v1/events/:id/redeliver — the app's own
// events only: another app's event is "not found", exactly like an unknown id.
export class WebhookEventsService {
  constructor(
    private readonly log: EventLog,
    private readonly deliveries: WebhookDeliveryStore,
    private readonly endpoints: WebhookEndpointStore,
    private readonly delivery: WebhookDeliveryService,
  ) {}

  async list(principal: Principal, query: ListEventsQuery): Promise<EventPage> {
    const appId = appScope(principal, query.appId);
    const since = query.since === undefined ? null : isoOrThrow(query.since);
    return this.log.list(appId, { type: query.type ?? null, since, limit: query.limit ?? DEFAULT_EVENT_PAGE, cursor: query.cursor ?? null });
  }

  async get(principal: Principal, eventId: string): Promise<EventWithDeliveries> {
    const stored = await this.visible(principal, eventId);
    return { stored, deliveries: await this.deliveries.listForEvent(eventId) };
  }

  // A new attempt now for each of the app's endpoints (enabled ones, and any that already has a
  // delivery of this event), or only the one named.
  async redeliver(principal: Principal, eventId: string, endpointId: string | undefined): Promise<EventWithDeliveries> {
    const stored = await this.visible(principal, eventId);
    const event: PaymentEvent = stored.event;
    const all = await this.endpoints.list(event.appId);
    let targets = all;
    if (endpointId !== undefined) {
      targets = all.filter((endpoint) => endpoint.id === endpointId);
      if (targets.length === 0) throw new DomainError('NOT_FOUND', `Webhook endpoint ${endpointId} not found`);
    } else {
      const delivered = new Set((await this.deliveries.listForEvent(eventId)).map((d) => d.endpointId));
      targets = all.filter((endpoint) => endpoint.status === 'enabled' || delivered.has(endpoint.id));
      if (targets.length === 0) throw new DomainError('CONFLICT', `App ${event.appId} has no webhook endpoint to deliver to`);
    }
    await this.delivery.redeliver(event, targets);
    return { stored, deliveries: await this.deliveries.listForEvent(eventId) };
  }

  private async visible(principal: Principal, eventId: string): Promise<StoredEvent> {
    // Bounded before any lookup (ADR 0012): a malformed id is simply not found.
    const stored = eventId.length > MAX_ID_LENGTH ? null : await this.log.get(eventId);
    if (!stored || (principal.appId !== null && stored.event.appId !== principal.appId)) {
      throw new DomainError('NOT_FOUND', `Event ${eventId} not found`);
    }
    return stored;
  }
}

function isoOrThrow(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw validationError('since must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z');
  return new Date(time).toISOString();
}
