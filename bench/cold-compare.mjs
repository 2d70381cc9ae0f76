// Cold starts and bytes read of several bundles side by side, rounds rotated, against a fresh
// DynamoDB Local: for before/after comparisons of a bundling change (ADR 0020, second pass).
//
//   npm exec -- node bench/cold-compare.mjs <name>=<entry>[,<lambda-esbuild.mjs>] ...
//   (npm exec puts the project's Node 24 first on PATH; the loader hook needs it)
//
// Each entry (a tsc output or a baseline) is bundled with the given settings module (default:
// scripts/lambda-esbuild.mjs), e.g. an older commit's dist and settings next to today's:
//
//   mkdir -p bench/.build/before && git archive 201e1aa src docs/openapi.json scripts | tar -x -C bench/.build/before
//   echo '{"extends":"../../../tsconfig.json","compilerOptions":{"rootDir":"src","outDir":"dist","types":["node"],"sourceMap":false},"include":["src"]}' > bench/.build/before/tsconfig.json
//   node_modules/.bin/tsc -p bench/.build/before/tsconfig.json && node_modules/.bin/tsc -p tsconfig.build.json
//   npm exec -- node bench/cold-compare.mjs before=bench/.build/before/dist/lambda.js,bench/.build/before/scripts/lambda-esbuild.mjs \
//     after=dist/lambda.js bareNest=bench/baselines/bare-nest.mjs
//
// BENCH_COLD_PAIRS rounds (12). Prints one JSON document: per bundle the bytes a cold start reads
// and the cold start (wall and CPU time of the process), and the ratio of each bundle to the last
// one per round (median, min, max).
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { loadedBytes } from './cold-start.mjs';
import { handlerEnv, warmUpDynamoLocal } from './bench-env.mjs';
import { summary } from './stats.mjs';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_COLD_PAIRS ?? 12);
const specs = process.argv.slice(2).map((arg) => {
  const [name, rest] = arg.split('=');
  const [entry, settings = 'scripts/lambda-esbuild.mjs'] = (rest ?? '').split(',');
  if (!name || !entry) throw new Error(`expected <name>=<entry>[,<lambda-esbuild.mjs>], got ${arg}`);
  return { name, entry, settings };
});
if (specs.length < 2) throw new Error('give at least two bundles; ratios are to the last one');

const bundles = {};
for (const { name, entry, settings } of specs) {
  const { lambdaBuildOptions } = await import(pathToFileURL(resolve(settings)).href);
  const outdir = join('bench', '.build', 'compare', name);
  await build(lambdaBuildOptions(entry, outdir));
  bundles[name] = resolve(outdir, 'index.mjs');
}

// The bench's cold start (fresh process → first 201 on POST /api/v1/intents), plus the process's CPU time.
async function coldStart(bundleFile, env) {
  const script = `
    import { apiEvent, createBody, lambdaContext } from ${JSON.stringify(pathToFileURL(resolve('bench/api-event.mjs')).href)};
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
    const result = await handler(apiEvent('POST', '/api/v1/intents', createBody('cold')), lambdaContext);
    const ms = performance.now();
    const cpu = process.cpuUsage();
    process.stdout.write('\\nCOLD ' + JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, status: result.statusCode }) + '\\n');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 60_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('COLD '));
  if (!line) throw new Error(`no cold-start result from ${bundleFile}: ${stdout}`);
  const result = JSON.parse(line.slice(5));
  if (result.status !== 201) throw new Error(`${bundleFile} answered ${result.status}, not 201`);
  return result;
}

const { startDynamoLocal } = await import('../dist/local/dynamo-local.js');
const { ensureTable } = await import('../dist/storage/ensure-table.js');
const { createDocumentClient } = await import('../dist/storage/dynamo-client.js');
const loadAtStart = loadavg();
const dynamo = await startDynamoLocal();
try {
  const db = createDocumentClient({ region: 'ca-central-1', endpoint: dynamo.endpoint });
  const tableName = `compare-${Math.random().toString(36).slice(2, 10)}`;
  await ensureTable(db, tableName);
  const env = handlerEnv(tableName, dynamo.endpoint);
  await warmUpDynamoLocal(tableName, dynamo.endpoint);

  const names = specs.map(({ name }) => name);
  const read = {};
  for (const name of names) await coldStart(bundles[name], env); // page cache, not measured
  for (const name of names) read[name] = await loadedBytes(bundles[name], env);
  const cold = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const shift = round % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) cold[name].push(await coldStart(bundles[name], env));
  }
  const last = names.at(-1);
  const ratio = (name, key) => summary(cold[name].map((sample, i) => sample[key] / cold[last][i][key]), 3);
  console.log(JSON.stringify({
    loadAverage: { atStart: loadAtStart.map((v) => Number(v.toFixed(2))), atEnd: loadavg().map((v) => Number(v.toFixed(2))) },
    rounds: ROUNDS,
    bundles: Object.fromEntries(names.map((name) => [name, {
      readAtColdStartBytes: read[name].bytes,
      filesRead: read[name].files,
      coldStartMs: summary(cold[name].map((sample) => sample.ms), 0),
      cpuMs: summary(cold[name].map((sample) => sample.cpuMs), 0),
    }])),
    [`ratioTo_${last}`]: Object.fromEntries(names.slice(0, -1).map((name) => [name, {
      bytes: Number((read[name].bytes / read[last].bytes).toFixed(3)),
      coldStart: ratio(name, 'ms'),
      cpu: ratio(name, 'cpuMs'),
    }])),
  }, null, 2));
  db.destroy();
} finally {
  dynamo.stop();
}
