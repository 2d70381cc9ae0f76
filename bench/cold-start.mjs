// One cold start: a fresh node process imports a bundle and invokes its handler once with
// POST /api/v1/intents; the time is that process's clock (since it started) at the 201.
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function coldStart(bundleFile, env) {
  const script = `
    import { apiEvent, createBody, lambdaContext } from ${JSON.stringify(pathToFileURL(new URL('./api-event.mjs', import.meta.url).pathname).href)};
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
    const result = await handler(apiEvent('POST', '/api/v1/intents', createBody('cold')), lambdaContext);
    const ms = performance.now();
    process.stdout.write('\\nCOLD ' + JSON.stringify({ ms, status: result.statusCode }) + '\\n');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 60_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('COLD '));
  if (!line) throw new Error(`no cold-start result from ${bundleFile}: ${stdout}`);
  const { ms, status } = JSON.parse(line.slice(5));
  if (status !== 201) throw new Error(`${bundleFile} answered ${status}, not 201`);
  return ms;
}

// Bytes of the bundle's files a cold start actually reads (up to its first 201), recorded by a
// module hook in a separate, unmeasured run: Nest, for one, loads its HTTP adapter through import().
export async function loadedBytes(bundleFile, env) {
  const script = `
    import { registerHooks } from 'node:module';
    import { statSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    const read = new Set();
    registerHooks({ load(url, context, next) { if (url.startsWith('file:')) read.add(fileURLToPath(url)); return next(url, context); } });
    const { apiEvent, createBody, lambdaContext } = await import(${JSON.stringify(pathToFileURL(new URL('./api-event.mjs', import.meta.url).pathname).href)});
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
    await handler(apiEvent('POST', '/api/v1/intents', createBody('cold')), lambdaContext);
    const dir = ${JSON.stringify(bundleFile.replace(/index\.mjs$/, ''))};
    const files = [...read].filter((file) => file.startsWith(dir));
    process.stdout.write('\\nREAD ' + JSON.stringify({ files: files.length, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) }) + '\\n');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 60_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('READ '));
  if (!line) throw new Error(`no read-bytes result from ${bundleFile}: ${stdout}`);
  return JSON.parse(line.slice(5));
}
