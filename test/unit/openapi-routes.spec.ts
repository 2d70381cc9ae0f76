import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ApiKeyGuard } from '../../src/api/api-key.guard.js';
import { CONTROLLERS } from '../../src/app.module.js';

// docs/openapi.json documents every route the app serves, nothing else, and every error status
// a route can give whatever its handler does (parsing, authentication, rate limit, crash).
const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));

interface Route {
  method: string;
  path: string;
  keyed: boolean;
}

// "intents/:id" under "api/v1" -> "/api/v1/intents/{id}"
const openApiPath = (...parts: string[]) =>
  `/${parts.map((part) => part.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');

function servedRoutes(): Route[] {
  return CONTROLLERS.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, controller) ?? [];
    return Object.getOwnPropertyNames(controller.prototype)
      .map((name) => (controller.prototype as unknown as Record<string, unknown>)[name])
      .filter((handler): handler is object => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler))
      .map((handler) => ({
        method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!.toLowerCase(),
        path: openApiPath(base, String(Reflect.getMetadata(PATH_METADATA, handler))),
        keyed: classGuards.includes(ApiKeyGuard),
      }));
  });
}

const documented = (route: Route) => doc.paths[route.path]?.[route.method] as { responses: Record<string, unknown> } | undefined;

describe('docs/openapi.json routes', () => {
  const routes = servedRoutes();

  it('documents exactly the routes the app serves', () => {
    const served = routes.map((route) => `${route.method.toUpperCase()} ${route.path}`).sort();
    const inDoc = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(inDoc).toEqual(served);
    expect(served).toEqual(expect.arrayContaining(['GET /health', 'GET /docs', 'GET /api/v1/openapi.json']));
  });

  it('documents every status any route can give: 500 and 429 everywhere but /health, 401 behind X-API-Key, 400/413/415 for bodies', () => {
    const missing: string[] = [];
    for (const route of routes) {
      const statuses = Object.keys(documented(route)?.responses ?? {});
      // /health answers a constant and is never rate-limited.
      const expected = route.path === '/health' ? [] : ['500', '429'];
      if (route.keyed) expected.push('401');
      if (route.method !== 'get') expected.push('413');
      // Webhooks are read as raw bytes of any type; API bodies must be JSON.
      if (route.method !== 'get' && !route.path.startsWith('/webhooks/')) expected.push('400', '415');
      for (const status of expected) if (!statuses.includes(status)) missing.push(`${route.method.toUpperCase()} ${route.path} ${status}`);
    }
    expect(missing).toEqual([]);
  });
});
