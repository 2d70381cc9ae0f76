// Bundles each Lambda from the tsc output (dist/), never from the .ts sources: esbuild does not
// emit decorator metadata, and Nest's dependency injection needs it. Output: dist-lambda/<name>/index.mjs
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { build } from 'esbuild';

export const LAMBDAS = {
  api: 'dist/lambda.js',
  'outbox-relay': 'dist/handlers/outbox-relay.js',
  reconcile: 'dist/handlers/reconcile.js',
  'auto-disburse': 'dist/handlers/auto-disburse.js',
};

// Loaded by Nest only if installed (we use none of them); the AWS SDK v3 ships with the runtime.
const EXTERNAL = [
  '@aws-sdk/*',
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  'class-transformer/storage',
  '@fastify/*',
];

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
rmSync('dist-lambda', { recursive: true, force: true });
for (const [name, entry] of Object.entries(LAMBDAS)) {
  await build({
    entryPoints: [entry],
    outfile: `dist-lambda/${name}/index.mjs`,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    keepNames: true,
    sourcemap: false,
    external: EXTERNAL,
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  console.log(`${name}: ${Math.round(statSync(`dist-lambda/${name}/index.mjs`).size / 1024)} KB`);
}
