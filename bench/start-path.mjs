// What a Lambda bundle's cold start carries, and why: every module its entry reaches through
// static imports (import() is where a chunk starts), by package, and for our own modules the
// chain of imports that brings each in. Where to look before moving code off the start path.
//
//   npm run build && npm exec -- node bench/start-path.mjs [dist/lambda.js] [rows, default 30]
import { join } from 'node:path';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../scripts/lambda-esbuild.mjs';

const entry = process.argv[2] ?? 'dist/lambda.js';
const rows = Number(process.argv[3] ?? 30);
const { metafile } = await build(lambdaBuildOptions(entry, join('bench', '.build', 'start-path')));

// Bytes each input left in the output (after minifying), over all chunks.
const bytes = {};
for (const output of Object.values(metafile.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) bytes[input] = (bytes[input] ?? 0) + bytesInOutput;
}

// Breadth-first over static imports: the first importer found is the shortest chain.
const importer = {};
const reached = new Set([entry]);
for (const queue = [entry]; queue.length > 0; ) {
  const file = queue.shift();
  for (const { path, kind, external } of metafile.inputs[file]?.imports ?? []) {
    if (kind === 'dynamic-import' || external || reached.has(path)) continue;
    reached.add(path);
    importer[path] = file;
    queue.push(path);
  }
}

const packageOf = (file) => {
  const inside = file.split('node_modules/').pop();
  if (inside === file) return 'ours';
  const parts = inside.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};
const chainTo = (file) => {
  const chain = [file];
  while (importer[chain[0]]) chain.unshift(importer[chain[0]]);
  return chain.join(' → ');
};

const byPackage = {};
for (const file of reached) byPackage[packageOf(file)] = (byPackage[packageOf(file)] ?? 0) + (bytes[file] ?? 0);
const sorted = (entries) => entries.sort((a, b) => b[1] - a[1]);
const ours = sorted([...reached].filter((file) => packageOf(file) === 'ours').map((file) => [file, bytes[file] ?? 0]));

console.log(JSON.stringify({
  entry,
  startPathBytes: Object.values(byPackage).reduce((sum, value) => sum + value, 0),
  byPackage: Object.fromEntries(sorted(Object.entries(byPackage)).slice(0, rows)),
  ours: ours.slice(0, rows).map(([file, size]) => ({ bytes: size, chain: chainTo(file) })),
}, null, 2));
