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
};
