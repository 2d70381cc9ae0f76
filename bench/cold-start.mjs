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
