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

// DynamoDB Local is a JVM: its first thousands of writes run interpreted. Warm it up first.
export async function warmUpDynamoLocal(tableName, endpoint) {
  process.env.DYNAMODB_ENDPOINT = endpoint;
  const warmDb = documentClient();
  for (let i = 0; i < 3000; i += 8) await Promise.all(Array.from({ length: 8 }, () => recordIntent(warmDb, tableName, createBody('jvm-warm-up'))));
  warmDb.destroy();
}
