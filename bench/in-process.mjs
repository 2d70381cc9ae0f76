// The warm, throughput and scaling measurements, in one child process per run of the bench:
// the app (the tsc output wired as src/lambda.ts wires it, with the bench's rate limits), the two
// baseline bundles and the raw SDK, invoked side by side in interleaved blocks.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { configure } from '@codegenie/serverless-express';
import { apiEvent, createBody, lambdaContext } from './api-event.mjs';
import { documentClient, recordIntent, STUB_DB } from './baselines/intent-writes.mjs';
import { percentile, summary } from './stats.mjs';

const task = JSON.parse(process.argv[2]);
const { createApp, defaultDependencies } = await import('../dist/app.factory.js');
const { loadConfig } = await import('../dist/config/load-config.js');
const { RATE_LIMITS } = await import('../dist/api/rate-limits.js');
const { toIntentItem } = await import('../dist/storage/intent.repository.js');

// Every budget the app has (and any a later change adds) raised far above what the bench sends:
// passed in code, so no environment variable can cap the run.
const unlimited = Object.fromEntries(Object.entries(RATE_LIMITS).map(([name, budget]) => [name, { ...budget, limit: 1e9 }]));

async function appHandler(tableName) {
  const config = loadConfig({ ...task.env, PAYMENTS_TABLE_NAME: tableName });
  const app = await createApp(defaultDependencies(config, { rateLimits: unlimited, ...(process.env.BENCH_STUB_IO ? { db: STUB_DB } : {}) }));
  return configure({ app: app.getHttpAdapter().getInstance() });
}

const expect201 = (result) => {
  if (result.statusCode !== 201 && result.statusCode !== 200) throw new Error(`answered ${result.statusCode}: ${result.body}`);
  return result;
};
const timed = async (call) => {
  const start = performance.now();
  expect201(await call());
  return performance.now() - start;
};
const create = (handler) => () => handler(apiEvent('POST', '/api/v1/intents', createBody(`warm-${randomUUID()}`)), lambdaContext);

async function warm() {
  const app = await appHandler(task.tableName);
  const db = documentClient();
  const handlers = {
    app: create(app),
    bareNest: create((await import(pathToFileURL(task.bundles.bareNest).href)).handler),
    bareNode: create((await import(pathToFileURL(task.bundles.bareNode).href)).handler),
  };
  const names = Object.keys(handlers);
  for (const name of names) for (let i = 0; i < 200; i++) await timed(handlers[name]);
  const all = Object.fromEntries(names.map((name) => [name, []]));
  const overNest = [];
  const overNode = [];
  const ratioNest = [];
  for (let block = 0; block < task.blocks; block++) {
    const p50 = {};
    // Rotated order, so no handler always runs first in a block.
    for (const name of [...names.slice(block % 3), ...names.slice(0, block % 3)]) {
      const samples = [];
      for (let i = 0; i < task.callsPerBlock; i++) samples.push(await timed(handlers[name]));
      all[name].push(...samples);
      p50[name] = percentile(samples, 50);
    }
    overNest.push(p50.app - p50.bareNest);
    ratioNest.push(p50.app / p50.bareNest);
    overNode.push(p50.app - p50.bareNode);
  }
  db.destroy();
  return {
    callsPerHandler: all.app.length,
    p50Ms: Object.fromEntries(names.map((name) => [name, Number(percentile(all[name], 50).toFixed(3))])),
    p99Ms: Object.fromEntries(names.map((name) => [name, Number(percentile(all[name], 99).toFixed(3))])),
    overheadVsBareNestMs: summary(overNest, 3),
    overheadVsBareNodeMs: summary(overNode, 3),
    ratioToBareNest: summary(ratioNest, 3),
  };
}

// `total` calls, `concurrency` at a time; calls per second.
async function burst(call, total, concurrency) {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < total) expect201(await call());
  }));
  return (total / (performance.now() - start)) * 1000;
}

async function throughput() {
  const app = create(await appHandler(task.tableName));
  const db = documentClient();
  const raw = async () => {
    await recordIntent(db, task.tableName, createBody(`raw-${randomUUID()}`));
    return { statusCode: 201 };
  };
  await burst(app, 300, task.concurrency);
  await burst(raw, 300, task.concurrency);
  const ratios = [];
  const appRates = [];
  const rawRates = [];
  for (let round = 0; round < task.rounds; round++) {
    const first = round % 2 === 0;
    const a = first ? await burst(app, task.perRound, task.concurrency) : null;
    const r = await burst(raw, task.perRound, task.concurrency);
    const b = a ?? (await burst(app, task.perRound, task.concurrency));
    appRates.push(b);
    rawRates.push(r);
    ratios.push(b / r);
  }
  db.destroy();
  return { concurrency: task.concurrency, requestsPerRound: task.perRound, appPerSecond: summary(appRates, 0), rawSdkPerSecond: summary(rawRates, 0), ratioToRawSdk: summary(ratios, 3) };
}

// Seeds `count` intents straight into the table (BatchWrite, 25 a request), open and paid mixed,
// a few per referenceId; returns some ids and references to read back.
async function seed(db, tableName, count) {
  const ids = [];
  const references = [];
  const items = Array.from({ length: count }, (_, i) => {
    const now = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    const referenceId = `seed-${Math.floor(i / 3)}`;
    const intent = {
      id: randomUUID(), appId: 'bench', referenceId, amount: 1000 + i, currency: 'XOF', country: 'BJ', status: i % 4 === 0 ? 'pending' : 'succeeded',
      gateway: 'mock', gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'redirect', metadata: { appId: 'bench', referenceId },
      returnUrl: null, refundedAmount: 0, paidOutAmount: 0, attempts: [{ gateway: 'mock', outcome: 'created', errorKind: null, at: now }], version: 2, createdAt: now, updatedAt: now,
    };
    if (i % 97 === 0) ids.push(intent.id);
    if (i % 101 === 0) references.push(referenceId);
    return toIntentItem(intent);
  });
  for (let i = 0; i < items.length; i += 25 * 8) {
    await Promise.all(Array.from({ length: 8 }, (_, j) => items.slice(i + j * 25, i + (j + 1) * 25)).filter((chunk) => chunk.length).map(async (chunk) => {
      let request = { [tableName]: chunk.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) ({ UnprocessedItems: request } = await db.send(new BatchWriteCommand({ RequestItems: request })));
    }));
  }
  return { ids, references };
}

async function scaling() {
  const db = documentClient();
  const levels = {};
  for (const [name, { tableName, count }] of Object.entries(task.levels)) {
    levels[name] = { ...(await seed(db, tableName, count)), handler: await appHandler(tableName), count };
  }
  const ops = {
    create: (level) => create(level.handler)(),
    get: (level, i) => level.handler(apiEvent('GET', `/api/v1/intents/${level.ids[i % level.ids.length]}`), lambdaContext),
    lookup: (level, i) => level.handler(apiEvent('GET', '/api/v1/intents', undefined, { referenceId: level.references[i % level.references.length] }), lambdaContext),
  };
  const names = Object.keys(levels);
  for (const level of names) for (const op of Object.values(ops)) for (let i = 0; i < 50; i++) await timed(() => op(levels[level], i));
  const result = {};
  for (const [opName, op] of Object.entries(ops)) {
    const ratios = [];
    const p50 = Object.fromEntries(names.map((name) => [name, []]));
    for (let block = 0; block < task.blocks; block++) {
      const blockP50 = {};
      for (const name of block % 2 ? [...names].reverse() : names) {
        const samples = [];
        for (let i = 0; i < task.callsPerBlock; i++) samples.push(await timed(() => op(levels[name], block * task.callsPerBlock + i)));
        blockP50[name] = percentile(samples, 50);
        p50[name].push(blockP50[name]);
      }
      ratios.push(blockP50[names[1]] / blockP50[names[0]]);
    }
    result[opName] = { p50Ms: Object.fromEntries(names.map((name) => [name, summary(p50[name], 3).median])), ratio: summary(ratios, 3) };
  }
  db.destroy();
  return { stored: Object.fromEntries(names.map((name) => [name, levels[name].count])), ...result };
}

const modes = { warm, throughput, scaling };
const output = await modes[task.mode]();
process.stdout.write(`\nRESULT ${JSON.stringify(output)}\n`);
process.exit(0);
