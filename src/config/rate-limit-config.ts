import { APP_ID_PATTERN } from '../domain/metadata.js';
import type { Env } from './load-config.js';

export interface RateLimit {
  limit: number;
  ttlMs: number;
}

// Three budgets (ADR 0021). A request with a valid X-API-Key counts against its app's budget,
// whatever address it comes from (product backends share NAT addresses); everything else counts
// against its client IP — the contract's 100 / 60 s. Gateway callbacks have their own per-IP
// budget (gateways send bursts from few addresses). Each budget is shared by every route. In
// AWS the WAF enforces the same budgets across Lambda instances (infra/lib/api.ts).
export interface RateLimits {
  api: RateLimit;
  // `limit` for every app unless `perApp` names it.
  perApiKey: RateLimit & { perApp: Readonly<Record<string, number>> };
  webhooks: RateLimit;
}

export const RATE_LIMITS: RateLimits = {
  api: { limit: 100, ttlMs: 60_000 },
  perApiKey: { limit: 1000, ttlMs: 60_000, perApp: {} },
  webhooks: { limit: 1000, ttlMs: 60_000 },
};

const MAX_PER_MINUTE = 1_000_000;

// RATE_LIMIT_PER_KEY=<requests per 60 s> and RATE_LIMIT_PER_KEY_APPS=kaba:3000,events:600.
export function rateLimitsFrom(env: Env, problems: string[]): RateLimits {
  const perKey = perMinute(env.RATE_LIMIT_PER_KEY, 'RATE_LIMIT_PER_KEY', problems) ?? RATE_LIMITS.perApiKey.limit;
  const perApp: Record<string, number> = {};
  for (const entry of (env.RATE_LIMIT_PER_KEY_APPS ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [appId, raw] = entry.split(':');
    const limit = appId && APP_ID_PATTERN.test(appId) ? perMinute(raw, 'RATE_LIMIT_PER_KEY_APPS', problems) : undefined;
    if (limit === undefined || limit === null) problems.push(`RATE_LIMIT_PER_KEY_APPS: expected <appId>:<requests per 60 s>, e.g. kaba:3000 (got "${entry}")`);
    else if (appId) perApp[appId] = limit;
  }
  return { ...RATE_LIMITS, perApiKey: { ...RATE_LIMITS.perApiKey, limit: perKey, perApp } };
}

// null: unset; undefined: invalid (reported).
function perMinute(raw: string | undefined, name: string, problems: string[]): number | null | undefined {
  const value = raw?.trim();
  if (!value) return null;
  const parsed = Number(value);
  if (Number.isInteger(parsed) && parsed >= 1 && parsed <= MAX_PER_MINUTE) return parsed;
  if (name === 'RATE_LIMIT_PER_KEY') problems.push(`${name} must be an integer from 1 to ${MAX_PER_MINUTE} (got "${value}")`);
  return undefined;
}
