// npm run bench — cold start and request latency of the API on this machine, against the real
// DynamoDB Local. Prints numbers; asserts nothing (performance is measured here, not in tests).
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';

// At most 100: the app's own rate limit (100 per 60 s per IP) applies to the bench client too.
const REQUESTS = Math.min(100, Number(process.env.BENCH_REQUESTS ?? 100));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const { startDynamoLocal } = await import('../dist/local/dynamo-local.js');
const dynamo = await startDynamoLocal();
try {
  const t0 = performance.now();
  const { createApp, defaultDependencies } = await import('../dist/app.factory.js');
  const { loadConfig } = await import('../dist/config/load-config.js');
  const { ensureTable } = await import('../dist/storage/ensure-table.js');
  const imported = performance.now();
  const key = 'bench-key';
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    PAYMENTS_TABLE_NAME: 'bench',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    PUBLIC_BASE_URL: 'http://localhost',
    TKH_API_KEY_HASH: `bench:${createHash('sha256').update(key).digest('hex')}`,
  });
  const deps = defaultDependencies(config);
  await ensureTable(deps.db, config.tableName);
  const t1 = performance.now();
  const app = await createApp(deps);
  const ready = performance.now();
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();

  const latencies = [];
  const body = JSON.stringify({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'bench', referenceId: 'r' }, gatewayOverride: 'mock' });
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      next++;
      const start = performance.now();
      const res = await fetch(`${base}/api/v1/intents`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body });
      await res.arrayBuffer();
      latencies.push({ ms: performance.now() - start, status: res.status });
    }
  };
  const runStart = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const runMs = performance.now() - runStart;
  await app.close();

  const ok = latencies.filter((l) => l.status === 201).map((l) => l.ms).sort((a, b) => a - b);
  const pct = (p) => ok[Math.min(ok.length - 1, Math.floor((p / 100) * ok.length))]?.toFixed(1);
  console.log(JSON.stringify({
    moduleImportMs: Math.round(imported - t0),
    nestInitMs: Math.round(ready - t1),
    requests: latencies.length,
    created201: ok.length,
    throttled429: latencies.filter((l) => l.status === 429).length,
    createIntentMs: { p50: pct(50), p95: pct(95), p99: pct(99) },
    throughputPerSecond: Math.round((latencies.length / runMs) * 1000),
  }, null, 2));
} finally {
  dynamo.stop();
}
