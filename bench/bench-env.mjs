import { createHash } from 'node:crypto';
import { BENCH_KEY, createBody } from './api-event.mjs';
import { documentClient, recordIntent } from './baselines/intent-writes.mjs';

// The environment every bundled handler runs with in the benches: the table on DynamoDB Local,
// the bench's API key, no metadata service.
export const handlerEnv = (tableName, endpoint) => ({
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'test',
  LOG_LEVEL: 'error',
  AWS_REGION: 'ca-central-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  PAYMENTS_TABLE_NAME: tableName,
  DYNAMODB_ENDPOINT: endpoint,
  PUBLIC_BASE_URL: 'http://localhost',
  TKH_API_KEY_HASH: `bench:${createHash('sha256').update(BENCH_KEY).digest('hex')}`,
});

// Credentials for every gateway (never called: the bench's create goes to the mock), so a cold
// start also loads every adapter, as an API Lambda with all five gateways set up does (ADR 0020).
export const EVERY_GATEWAY_SET_UP = {
  STRIPE_SECRET_KEY: 'sk_test_bench',
  STRIPE_WEBHOOK_SECRET: 'whsec_bench',
  PAYSTACK_SECRET_KEY: 'sk_test_bench',
  KKIAPAY_PUBLIC_KEY: 'bench',
  KKIAPAY_PRIVATE_KEY: 'bench',
  KKIAPAY_SECRET_KEY: 'bench',
  KKIAPAY_WEBHOOK_SECRET: 'bench',
  MOMO_COLLECTION_SUBSCRIPTION_KEY: 'bench',
  MOMO_COLLECTION_API_USER: 'bench',
  MOMO_COLLECTION_API_KEY: 'bench',
  TKH_BASE_URL: 'http://127.0.0.1:9',
  TKH_API_KEY: 'bench',
  TKH_WEBHOOK_SECRET: 'bench',
};

// DynamoDB Local is a JVM: its first thousands of writes run interpreted. Warm it up first.
export async function warmUpDynamoLocal(tableName, endpoint) {
  process.env.DYNAMODB_ENDPOINT = endpoint;
  const warmDb = documentClient();
  for (let i = 0; i < 3000; i += 8) await Promise.all(Array.from({ length: 8 }, () => recordIntent(warmDb, tableName, createBody('jvm-warm-up'))));
  warmDb.destroy();
}
