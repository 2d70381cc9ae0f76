import { paymentEventFor } from '../domain/payment-event.js';
import type { OutboxRecord } from '../services/ports.js';
import { fromIntentItem } from './intent.repository.js';
import { HELD_EVENTS } from './table-schema.js';

// An event held by its intent (HELD_EVENTS): the relay rebuilds it from the item, publishes it,
// lists it in the event log and takes it off the intent.
export interface HeldEvent {
  id: string;
  type: 'payment.completed' | 'payment.failed';
  at: string;
}

export function heldEventsOf(item: Record<string, unknown>): HeldEvent[] {
  const list = item[HELD_EVENTS.list];
  return Array.isArray(list) ? (list as HeldEvent[]) : [];
}

// The events an intent item holds, built exactly as the service built them at commit: the fields
// paymentEventFor reads (ids, app, reference, amount, currency, gateway, country, businessId)
// never change once an intent reaches a final status.
export function heldEventRecords(item: Record<string, unknown>): OutboxRecord[] {
  const held = heldEventsOf(item);
  if (held.length === 0) return [];
  const intent = fromIntentItem(item);
  const paymentId = typeof item.paymentId === 'string' ? item.paymentId : null;
  return held.map(({ id, type, at }) => ({
    event: paymentEventFor(intent, { eventId: id, type, paymentId: type === 'payment.completed' ? paymentId : null, timestamp: at }),
    createdAt: at,
    heldByIntent: intent.id,
  }));
}
