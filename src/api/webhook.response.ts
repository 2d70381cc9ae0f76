import { serializeEvent } from '../domain/payment-event.js';
import { maskSecret } from '../domain/standard-webhook.js';
import type { WebhookEndpoint } from '../domain/webhook-endpoint.js';
import type { EventWithDeliveries } from '../services/webhook-events.service.js';
import type { StoredEvent, WebhookDelivery } from '../services/webhook-ports.js';

// Explicit response shapes: stored items never leak (a secret is shown only on create and rotate).
export const toEndpointResponse = (e: WebhookEndpoint) => ({
  id: e.id,
  appId: e.appId,
  url: e.url,
  urls: { payments: e.familyUrls.payments ?? null, refunds: e.familyUrls.refunds ?? null, payouts: e.familyUrls.payouts ?? null },
  description: e.description,
  status: e.status,
  disabledReason: e.disabledReason,
  disabledAt: e.disabledAt,
  secrets: e.secrets.map((s) => ({ hint: maskSecret(s.secret), createdAt: s.createdAt, expiresAt: s.expiresAt })),
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

export const toEndpointWithSecretResponse = (result: { endpoint: WebhookEndpoint; secret: string }) => ({
  ...toEndpointResponse(result.endpoint),
  secret: result.secret,
});

// The payload is exactly the body each webhook (and the SNS message) carries.
export const toEventResponse = ({ event, createdAt }: StoredEvent) => ({
  id: event.eventId,
  type: event.type,
  appId: event.appId,
  createdAt,
  payload: JSON.parse(serializeEvent(event)) as Record<string, unknown>,
});

export const toDeliveryResponse = (d: WebhookDelivery) => ({
  endpointId: d.endpointId,
  status: d.status,
  failedReason: d.failedReason,
  scheduledAttempts: d.scheduledAttempts,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
  attempts: d.attempts.map((a) => ({
    at: a.at,
    trigger: a.trigger,
    url: a.url,
    outcome: a.outcome,
    responseStatus: a.responseStatus,
    latencyMs: a.latencyMs,
    responseExcerpt: a.responseExcerpt,
    error: a.error,
  })),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export const toEventWithDeliveriesResponse = ({ stored, deliveries }: EventWithDeliveries) => ({
  ...toEventResponse(stored),
  deliveries: deliveries.map(toDeliveryResponse),
});
