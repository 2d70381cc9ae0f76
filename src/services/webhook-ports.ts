import type { PaymentEvent } from '../domain/payment-event.js';
import type { WebhookEndpoint } from '../domain/webhook-endpoint.js';
import type { DueWork } from './ports.js';

// What the outbound-webhook services need from storage and from the network (ADR 0019).

export interface DeliveryAttempt {
  at: string;
  // scheduled: the retry schedule; manual: POST /events/:id/redeliver.
  trigger: 'scheduled' | 'manual';
  // Scheme, host and path only (no query string: receivers put tokens there).
  url: string;
  outcome: 'succeeded' | 'failed';
  responseStatus: number | null;
  latencyMs: number;
  // At most 256 characters of the receiver's answer, or why there was none.
  responseExcerpt: string | null;
  error: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  eventId: string;
  endpointId: string;
  appId: string;
  eventType: PaymentEvent['type'];
  status: DeliveryStatus;
  // failed only: why no more attempts are scheduled.
  failedReason: 'exhausted' | 'endpoint_disabled' | 'endpoint_deleted' | 'event_expired' | null;
  // Attempts made on the schedule (manual ones do not count).
  scheduledAttempts: number;
  nextAttemptAt: string | null;
  attempts: DeliveryAttempt[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookEndpointStore {
  // With the app's endpoint count in one transaction: 'limit_reached' when it already has `max`.
  create(endpoint: WebhookEndpoint, max: number): Promise<'created' | 'limit_reached'>;
  get(appId: string, endpointId: string): Promise<WebhookEndpoint | null>;
  // All of an app's endpoints (at most MAX_ENDPOINTS_PER_APP): one query, no write.
  list(appId: string): Promise<WebhookEndpoint[]>;
  // Replaces the endpoint read at `expectedVersion`; false when it changed (or is gone).
  update(endpoint: WebhookEndpoint, expectedVersion: number): Promise<boolean>;
  delete(appId: string, endpointId: string): Promise<boolean>;
  // Moves lastSuccessAt forward (only if older than `staleBefore`, so at most one write an hour).
  recordSuccess(appId: string, endpointId: string, at: string, staleBefore: string): Promise<void>;
}

export interface WebhookDeliveryStore {
  // Conditional put keyed by event and endpoint, claimed by its creator until `leaseUntil`:
  // false when it exists already (a re-relay, or a concurrent one, created it).
  createClaimed(delivery: WebhookDelivery, leaseUntil: string): Promise<boolean>;
  get(eventId: string, endpointId: string): Promise<WebhookDelivery | null>;
  listForEvent(eventId: string): Promise<WebhookDelivery[]>;
  // Takes the delivery read at its version for one attempt; a pending one's queue position becomes
  // the lease's end, so a crash mid-attempt leaves it due again. null: someone else took it.
  claim(delivery: WebhookDelivery, leaseUntil: string): Promise<WebhookDelivery | null>;
  // Stores the outcome of the claimed delivery (conditional on the claim's version).
  save(delivery: WebhookDelivery, claimedVersion: number): Promise<boolean>;
  listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<WebhookDelivery>>;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type WebhookResponse =
  | { kind: 'answered'; status: number; excerpt: string; latencyMs: number }
  // Not sent: the URL or a resolved address is not allowed (SSRF policy), or DNS failed.
  | { kind: 'refused'; reason: string; latencyMs: number }
  // Sent or tried, no answer: connection refused or reset, TLS error, timeout.
  | { kind: 'failed'; reason: string; latencyMs: number };

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}

export interface StoredEvent {
  event: PaymentEvent;
  createdAt: string;
  published: boolean;
}

export interface EventPage {
  items: StoredEvent[];
  nextCursor: string | null;
}

export interface EventLog {
  // The app's published events, newest first, optionally of one type and created at or after `since`.
  list(appId: string, options: { type: string | null; since: string | null; limit: number; cursor: string | null }): Promise<EventPage>;
  get(eventId: string): Promise<StoredEvent | null>;
}
