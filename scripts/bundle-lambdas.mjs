// Bundles each Lambda from the tsc output (dist/), never from the .ts sources: esbuild does not
// emit decorator metadata, and Nest's dependency injection needs it.
// Output: dist-lambda/<name>/index.mjs, the asset directory the CDK stack deploys.
//
//   node scripts/bundle-lambdas.mjs               always rebuild (npm run build:lambda, cdk synth)
//   node scripts/bundle-lambdas.mjs --if-changed  skip when the inputs are unchanged since the
//                                                 last build (the infra tests, several workers)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleSizes, lambdaBuildOptions } from './lambda-esbuild.mjs';

const LAMBDAS = {
  api: 'dist/lambda.js',
  'outbox-relay': 'dist/handlers/outbox-relay.js',
  reconcile: 'dist/handlers/reconcile.js',
  'auto-disburse': 'dist/handlers/auto-disburse.js',
};

const OUT_DIR = 'dist-lambda';
const STAMP = join(OUT_DIR, '.inputs-sha256');
const INPUTS = ['src', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/bundle-lambdas.mjs', 'scripts/lambda-esbuild.mjs'];

// Everything that changes the bundles: the sources, the locked dependencies, the compiler settings
// and this script.
function inputsHash() {
  const hash = createHash('sha256');
  const add = (path) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) add(join(path, entry));
    } else {
      hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
    }
  };
  INPUTS.forEach(add);
  return hash.digest('hex');
}

const readStamp = () => {
  try {
    return readFileSync(STAMP, 'utf8');
  } catch {
    return null;
  }
};

// One bundler at a time per checkout (jest runs the infra specs in parallel workers).
async function withLock(work) {
  const lock = join(tmpdir(), `bundle-lambdas-${createHash('sha256').update(process.cwd()).digest('hex').slice(0, 16)}.lock`);
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock older than 5 minutes belongs to a bundler that died.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (waited > 600_000) throw new Error(`bundle-lambdas: still locked after 10 minutes (${lock})`);
      Atomics.wait(wait, 0, 0, 200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function bundle() {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  rmSync(OUT_DIR, { recursive: true, force: true });
  for (const [name, entry] of Object.entries(LAMBDAS)) {
    const outdir = join(OUT_DIR, name);
    const { metafile } = await build(lambdaBuildOptions(entry, outdir));
    const { startup, total } = bundleSizes(metafile, join(outdir, 'index.mjs'));
    const kb = (bytes) => Math.round(bytes / 1024);
    console.log(`${name}: ${kb(startup)} KB read at start, ${kb(total)} KB with the chunks read only through import()`);
  }
  copySwaggerUi(join(OUT_DIR, 'api', 'swagger-ui'));
}

// GET /docs serves these from beside the API bundle (src/api/api-docs.ts); never bundled, so
// the API's cold start does not parse them.
function copySwaggerUi(dir) {
  mkdirSync(dir, { recursive: true });
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']) {
    copyFileSync(join('node_modules', 'swagger-ui-dist', file), join(dir, file));
  }
}

const ifChanged = process.argv.includes('--if-changed');
await withLock(async () => {
  const inputs = inputsHash();
  if (ifChanged && readStamp() === inputs) return;
  await bundle();
  writeFileSync(STAMP, inputs);
});
