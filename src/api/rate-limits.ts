import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';

export interface RateLimit {
  limit: number;
  ttlMs: number;
}

// One budget per client IP for the whole API, and a separate, more generous one for gateway
// callbacks (gateways send bursts from few addresses). Each is shared by every route it covers.
export interface RateLimits {
  api: RateLimit;
  webhooks: RateLimit;
}

export const RATE_LIMITS: RateLimits = {
  api: { limit: 100, ttlMs: 60_000 },
  webhooks: { limit: 1000, ttlMs: 60_000 },
};

const isWebhook = (context: ExecutionContext) => context.switchToHttp().getRequest<Request>().path.startsWith('/webhooks/');

// 'default' keeps the plain Retry-After header for the API budget.
export const throttlersFor = (limits: RateLimits): ThrottlerOptions[] => [
  { name: 'default', ttl: limits.api.ttlMs, limit: limits.api.limit, skipIf: isWebhook },
  { name: 'webhooks', ttl: limits.webhooks.ttlMs, limit: limits.webhooks.limit, skipIf: (context) => !isWebhook(context) },
];

export const rateLimitMessage = (throttler: string, { limit, ttlMs }: RateLimit): string => {
  const scope = throttler === 'webhooks' ? ' on webhook routes' : '';
  return `Rate limit exceeded: at most ${limit} requests per ${ttlMs / 1000} seconds per client IP${scope}`;
};
