import type { RefundWebhookEvent } from '../gateway.js';
import { mapRefundStatus } from './stripe-status.js';

// Refund objects as the SDK 23 types describe them (Refunds.d.ts): `id` (re_…, the id we stored), `status`,
// `payment_intent` (an id unless expanded).
interface RefundPayload {
  id?: unknown;
  status?: unknown;
  payment_intent?: unknown;
}

interface EventPayload {
  id?: unknown;
  type?: unknown;
  data?: { object?: { id?: unknown; payment_intent?: unknown; refunds?: { data?: unknown } | null } & RefundPayload };
}

// refund.updated and refund.failed carry the Refund; charge.refunded carries the Charge, whose
// `refunds` list is only present on older API versions (absent, the refund.* events still come).
// One event id per refund, since a charge.refunded may list several.
export function parseStripeRefundEvents(body: unknown): RefundWebhookEvent[] {
  const event = body as EventPayload | null;
  const object = event?.data?.object;
  if (typeof event?.id !== 'string' || !object) return [];
  if (event.type === 'refund.updated' || event.type === 'refund.failed') {
    const mapped = refundEvent(event.id, object);
    return mapped ? [mapped] : [];
  }
  if (event.type !== 'charge.refunded') return [];
  const listed = Array.isArray(object.refunds?.data) ? (object.refunds.data as RefundPayload[]) : [];
  const paymentIntent = typeof object.payment_intent === 'string' ? object.payment_intent : null;
  return listed
    .map((refund) => refundEvent(`${event.id as string}:${String(refund.id)}`, { ...refund, payment_intent: refund.payment_intent ?? paymentIntent }))
    .filter((mapped): mapped is RefundWebhookEvent => mapped !== null);
}

function refundEvent(eventId: string, refund: RefundPayload): RefundWebhookEvent | null {
  if (typeof refund.id !== 'string' || refund.id === '') return null;
  return {
    eventId,
    gatewayRefundId: refund.id,
    gatewayTransactionId: typeof refund.payment_intent === 'string' ? refund.payment_intent : null,
    status: mapRefundStatus(typeof refund.status === 'string' ? refund.status : null),
  };
}
