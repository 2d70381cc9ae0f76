import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ApiKeyEntry } from '../config/app-config.js';

// The appId a presented X-API-Key belongs to: a string, null for an unscoped (operations) key,
// undefined when the key is missing or matches nothing. Every configured hash is compared in
// constant time (no early exit), so timing does not reveal which entry matched.
export function apiKeyAppId(presentedKey: string | undefined, apiKeys: readonly ApiKeyEntry[]): string | null | undefined {
  if (!presentedKey) return undefined;
  const presented = createHash('sha256').update(presentedKey, 'utf8').digest();
  let match: string | null | undefined;
  for (const entry of apiKeys) {
    if (timingSafeEqual(presented, entry.sha256) && match === undefined) match = entry.appId;
  }
  return match;
}

// The same for a request, hashed once however many times it is asked (the rate limiter asks
// before the guard does).
const identified = new WeakMap<object, string | null | undefined>();
export function requestAppId(request: Request, apiKeys: readonly ApiKeyEntry[]): string | null | undefined {
  if (identified.has(request)) return identified.get(request);
  const appId = apiKeyAppId(request.header('x-api-key'), apiKeys);
  identified.set(request, appId);
  return appId;
}
