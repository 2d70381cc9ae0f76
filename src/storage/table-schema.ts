// The single table's shape, shared by the local bootstrap (ensure-table) and the CDK stack.
export const TTL_ATTRIBUTE = 'expiresAt';

// What an index holds of an item besides the keys (the table's and its own).
export type IndexProjection = { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export const INDEXES = {
  // (gsi1, by gateway transaction, is gone: nothing read it — a webhook finds its intent through
  // the strongly consistent keys.gatewayTransaction item — and it cost index writes; ADR 0020.)
  // Reconciliation: "<appId>#<referenceId>" -> intents, newest last; the events API: EVENTS#<appId>
  // -> published events. It holds only what no intent update changes, so those updates write
  // nothing here, and what the events API returns of an event (ADR 0023). A projection cannot
  // change in place: gsi2b replaced gsi2 (ALL) under a new name.
  byAppReference: {
    name: 'gsi2b',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    projection: { type: 'INCLUDE', attributes: ['entity', 'id', 'createdAt', 'event', 'published'] },
  },
  // Sparse: only unresolved intents and unpublished events carry gsi3pk. ALL: its readers (the
  // reconciler, the relay's sweep, the operations view) need whole items.
  openWork: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: { type: 'ALL' } },
} as const satisfies Record<string, { name: string; partitionKey: string; sortKey: string; projection: IndexProjection }>;

export const keys = {
  intent: (id: string) => ({ pk: `INTENT#${id}`, sk: 'INTENT' }),
  idempotency: (appId: string, key: string) => ({ pk: `IDEM#${appId}#${key}`, sk: 'IDEM' }),
  payment: (intentId: string, paymentId: string) => ({ pk: `INTENT#${intentId}`, sk: `PAYMENT#${paymentId}` }),
  refund: (intentId: string, refundId: string) => ({ pk: `INTENT#${intentId}`, sk: `REFUND#${refundId}` }),
  // Strongly consistent lookup (and uniqueness) of a gateway transaction id.
  gatewayTransaction: (gateway: string, transactionId: string) => ({ pk: `GWTX#${gateway}#${transactionId}`, sk: 'GWTX' }),
  webhookReceipt: (gateway: string, eventId: string) => ({ pk: `WEBHOOK#${gateway}#${eventId}`, sk: 'RECEIPT' }),
  review: (gateway: string, eventId: string) => ({ pk: `REVIEW#${gateway}#${eventId}`, sk: 'REVIEW' }),
  outboxEvent: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  disbursement: (id: string) => ({ pk: `DISB#${id}`, sk: 'DISB' }),
  // Uniqueness of the source intent: at most one live (not failed) payout per paid intent.
  disbursementSource: (intentId: string) => ({ pk: `DISBSRC#${intentId}`, sk: 'DISBSRC' }),
  // A payout listed under its source intent (GET /intents/:id shows it).
  intentPayout: (intentId: string, disbursementId: string) => ({ pk: `INTENT#${intentId}`, sk: `PAYOUT#${disbursementId}` }),
  // Money paid out without a source intent, per app, currency and UTC day (the daily cap).
  unsourcedPayoutDay: (appId: string, currency: string, day: string) => ({ pk: `PAYOUTCAP#${appId}#${currency}#${day}`, sk: 'PAYOUTCAP' }),
  // Strongly consistent lookup of a gateway's refund id (refund webhooks) -> intent and refund.
  gatewayRefund: (gateway: string, gatewayRefundId: string) => ({ pk: `GWREFUND#${gateway}#${gatewayRefundId}`, sk: 'GWREFUND' }),
  // Outbound webhooks (ADR 0019): an app's endpoints and their count share the app's partition
  // (one query lists them); a delivery sits in its event's partition (one query reads both).
  webhookEndpoint: (appId: string, endpointId: string) => ({ pk: `APP#${appId}`, sk: `WHEP#${endpointId}` }),
  webhookEndpointCount: (appId: string) => ({ pk: `APP#${appId}`, sk: 'WHEPCOUNT' }),
  webhookDelivery: (eventId: string, endpointId: string) => ({ pk: `EVENT#${eventId}`, sk: `DELIVERY#${endpointId}` }),
};

// The events API lists an app's published events through gsi2 (upper case: never an intent's
// "<appId>#<referenceId>", whose appId is lower case).
export const eventLogKeys = (appId: string, createdAt: string, eventId: string) => ({ gsi2pk: `EVENTS#${appId}`, gsi2sk: `${createdAt}#${eventId}` });

export const OPEN_WORK = {
  intent: 'OPEN_INTENT',
  unpublishedEvent: 'UNPUBLISHED_EVENT',
  disbursement: 'OPEN_DISBURSEMENT',
  // Refunds whose gateway answer is not known yet (recorded before the call, or lost).
  refund: 'OPEN_REFUND',
  review: 'OPEN_REVIEW',
  // Webhook deliveries still to attempt (sort key: the next attempt time, or a claim's lease end).
  delivery: 'OPEN_DELIVERY',
} as const;
// The intent item is its own outbox (ADR 0022): the state change that raises a payment event
// appends { id, type, at } to `pendingEvents` in the same write and sets the `holdsEvents` flag the
// stream filter and the sweep look for; the relay's release removes both.
export const HELD_EVENTS = { list: 'pendingEvents', flag: 'holdsEvents' } as const;
// Published events stay 30 days: the events API (ADR 0019) promises at least that.
export const RETENTION_SECONDS = { webhookReceipt: 30 * 86_400, review: 90 * 86_400, publishedEvent: 30 * 86_400, webhookDelivery: 31 * 86_400 };
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
