import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import type { ApiKeyEntry } from '../config/app-config.js';
import type { RateLimit, RateLimits } from '../config/rate-limit-config.js';
import { requestAppId } from './api-key-identity.js';
import { QueueThrottlerStorage } from './rate-limit-storage.js';

export { RATE_LIMITS, type RateLimit, type RateLimits } from '../config/rate-limit-config.js';

// The app of a key ("(ops)" for an unscoped key, never an appId); null: no valid key.
export type KeyBucket = string | null;

const isWebhook = (context: ExecutionContext) => requestOf(context).path.startsWith('/webhooks/');
const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<Request>();

// Three budgets (ADR 0021): see RateLimits. Counted in a QueueThrottlerStorage (the library's
// answers at a constant cost a request), a fresh one for each app.
export const throttlersFor = (limits: RateLimits, apiKeys: readonly ApiKeyEntry[]): ThrottlerModuleOptions => {
  const bucketOf = (context: ExecutionContext): KeyBucket => keyBucket(requestOf(context), apiKeys);
  const throttlers: ThrottlerOptions[] = [
    // 'default' keeps the plain Retry-After header for the per-IP budget.
    { name: 'default', ttl: limits.api.ttlMs, limit: limits.api.limit, skipIf: (c) => isWebhook(c) || bucketOf(c) !== null },
    {
      name: 'apikey',
      ttl: limits.perApiKey.ttlMs,
      limit: (c) => limits.perApiKey.perApp[bucketOf(c) ?? ''] ?? limits.perApiKey.limit,
      skipIf: (c) => isWebhook(c) || bucketOf(c) === null,
      getTracker: (req) => `app:${keyBucket(req as Request, apiKeys) ?? ''}`,
    },
    { name: 'webhooks', ttl: limits.webhooks.ttlMs, limit: limits.webhooks.limit, skipIf: (c) => !isWebhook(c) },
  ];
  return { throttlers, storage: new QueueThrottlerStorage() };
};

function keyBucket(request: Request, apiKeys: readonly ApiKeyEntry[]): KeyBucket {
  const appId = requestAppId(request, apiKeys);
  return appId === undefined ? null : (appId ?? '(ops)');
}

export const rateLimitMessage = (throttler: string, { limit, ttlMs }: RateLimit): string => {
  const per = ttlMs / 1000;
  if (throttler === 'apikey') return `Rate limit exceeded: at most ${limit} requests per ${per} seconds for this API key's app`;
  const scope = throttler === 'webhooks' ? ' on webhook routes' : '';
  return `Rate limit exceeded: at most ${limit} requests per ${per} seconds per client IP${scope}`;
};
