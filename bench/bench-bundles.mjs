// Bundles the two baselines with exactly the Lambda bundles' esbuild settings, and reads the api
// bundle's sizes from the same build (so bundle sizes and cold starts compare like with like).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSizes, lambdaBuildOptions } from '../scripts/lambda-esbuild.mjs';

const OUT = join('bench', '.build');

const ENTRIES = {
  app: 'dist/lambda.js',
  bareNest: 'bench/baselines/bare-nest.mjs',
  bareNode: 'bench/baselines/bare-node.mjs',
};

export async function buildBenchBundles() {
  const bundles = {};
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const outdir = join(OUT, name);
    rmSync(outdir, { recursive: true, force: true });
    const { metafile } = await build(lambdaBuildOptions(entry, outdir));
    const file = join(outdir, 'index.mjs');
    const { startup, total } = bundleSizes(metafile, file);
    bundles[name] = { entry: join(process.cwd(), file), startupBytes: startup, totalBytes: total };
  }
  return bundles;
}
