import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

describe('served API docs: /api/v1/openapi.json and Swagger UI at /docs (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_BASE_URL: 'https://payments.example.com/dev' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the document names this deployment as its server (PUBLIC_BASE_URL), no key needed', async () => {
    const res = await http().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.servers).toEqual([{ url: 'https://payments.example.com/dev', description: 'this service (local)' }]);
    expect(res.body.paths['/health']).toBeDefined();
  });

  it('GET /docs is Swagger UI with relative links (works under an API Gateway stage prefix) and a strict CSP', async () => {
    const res = await http().get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('<script src="docs/swagger-ui-bundle.js"></script>');
    expect(res.text).not.toMatch(/https?:\/\//);
    const init = await http().get('/docs/init.js');
    expect(init.headers['content-type']).toMatch(/^text\/javascript/);
    expect(init.text).toContain("url: 'api/v1/openapi.json'");
  });

  it('/docs/ redirects to /docs so the relative links resolve', async () => {
    const res = await http().get('/docs/');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('../docs');
  });

  it('serves the swagger-ui-dist files byte for byte, and nothing else', async () => {
    const bundle = await http().get('/docs/swagger-ui-bundle.js').buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(bundle.status).toBe(200);
    expect((bundle.body as Buffer).equals(readFileSync(join(swaggerUiDist, 'swagger-ui-bundle.js')))).toBe(true);
    expect((await http().get('/docs/swagger-ui.css')).headers['content-type']).toMatch(/^text\/css/);
    for (const path of ['/docs/package.json', '/docs/index.html', '/docs/%2e%2e%2fpackage.json', '/docs/..%2F..%2Fpackage.json']) {
      const res = await http().get(path);
      expect([path, res.status, res.body.error]).toEqual([path, 404, 'NOT_FOUND']);
    }
  });
});
