// The single table's shape, shared by the local bootstrap (ensure-table) and the CDK stack.
export const TTL_ATTRIBUTE = 'expiresAt';

export const INDEXES = {
  // Webhook lookup: "<gateway>#<gatewayTransactionId>" -> intent.
  byGatewayTransaction: { name: 'gsi1', partitionKey: 'gsi1pk' },
  // Reconciliation: "<appId>#<referenceId>" -> intents, newest last.
  byAppReference: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  // Sparse: only unresolved intents and unpublished events carry gsi3pk.
  openWork: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
} as const;

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
  // Uniqueness of the source intent: one paid intent is paid out at most once.
  disbursementSource: (intentId: string) => ({ pk: `DISBSRC#${intentId}`, sk: 'DISBSRC' }),
};

export const OPEN_WORK = { intent: 'OPEN_INTENT', unpublishedEvent: 'UNPUBLISHED_EVENT', disbursement: 'OPEN_DISBURSEMENT' } as const;
export const RETENTION_SECONDS = { webhookReceipt: 30 * 86_400, review: 90 * 86_400, publishedEvent: 7 * 86_400 };
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
