import type { ApiKeyEntry, AppConfig, GatewaySettings, NodeEnv, Stage } from './app-config.js';
import { DEFAULT_INTENT_EXPIRY_MINUTES } from '../domain/intent-expiry.js';
import { APP_ID_PATTERN } from '../domain/metadata.js';
import { momoSettings } from './momo-config.js';
import { rateLimitsFrom } from './rate-limit-config.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const NODE_ENVS: readonly NodeEnv[] = ['development', 'test', 'production'];
const STAGES: readonly Stage[] = ['local', 'dev', 'prod'];
// A deployed stage's NODE_ENV: the dev stage behaves like the contract's development environment.
const STAGE_NODE_ENV: Record<Exclude<Stage, 'local'>, NodeEnv> = { dev: 'development', prod: 'production' };
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

// Builds the typed config from an environment map, reporting every bad variable at once.
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'production', problems);
  const stage = oneOf(env, 'PAYMENTS_STAGE', STAGES, 'local', problems);
  if (stage !== 'local' && nodeEnv !== STAGE_NODE_ENV[stage]) {
    problems.push(`PAYMENTS_STAGE=${stage} runs with NODE_ENV=${STAGE_NODE_ENV[stage]} (got "${nodeEnv}")`);
  }
  // Deployed stages are shared: they always require keys, a topic and their public URL.
  const deployed = nodeEnv === 'production' || stage !== 'local';
  const apiKeys = parseApiKeyHashes(env.TKH_API_KEY_HASH, problems);
  if (deployed && apiKeys.length === 0) {
    problems.push(`TKH_API_KEY_HASH is required when ${stageName(nodeEnv, stage)} (comma-separated <appId>:<sha256 hex>)`);
  }
  const config: AppConfig = {
    nodeEnv,
    stage,
    port: integer(env, 'PORT', 3002, 1, 65535, problems),
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', deployed ? null : 'http://localhost:3002', problems),
    awsRegion: env.AWS_REGION?.trim() || 'ca-central-1',
    tableName: required(env, 'PAYMENTS_TABLE_NAME', problems),
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT ? url(env, 'DYNAMODB_ENDPOINT', null, problems) : null,
    apiKeys,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info', problems),
    paymentsTopicArn: optional(env, 'PAYMENTS_TOPIC_ARN'),
    localEventWebhookUrl: env.LOCAL_EVENT_WEBHOOK_URL ? url(env, 'LOCAL_EVENT_WEBHOOK_URL', null, problems) : null,
    mockWebhookSecret: optional(env, 'MOCK_WEBHOOK_SECRET'),
    gateways: gatewaySettings(env, problems),
    outboxGraceSeconds: integer(env, 'OUTBOX_GRACE_SECONDS', 60, 0, 86_400, problems),
    payouts: payoutPolicy(env, problems),
    intentExpiry: intentExpiry(env, problems),
    metricsEnv: env.METRICS_ENV?.trim() || 'local',
    rateLimits: rateLimitsFrom(env, problems),
    webhooks: webhookSettings(env, nodeEnv, stage, deployed, problems),
  };
  if (deployed && config.paymentsTopicArn === null) {
    problems.push(`PAYMENTS_TOPIC_ARN is required when ${stageName(nodeEnv, stage)}`);
  }
  // On the shared dev stage nobody may settle a mock payment without the page's signature.
  if (stage === 'dev' && config.mockWebhookSecret === null) problems.push('MOCK_WEBHOOK_SECRET is required when PAYMENTS_STAGE=dev');
  if (config.paymentsTopicArn !== null && !/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]{1,256}$/.test(config.paymentsTopicArn)) {
    problems.push(`PAYMENTS_TOPIC_ARN must be an SNS topic ARN (got "${config.paymentsTopicArn}")`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const stageName = (nodeEnv: NodeEnv, stage: Stage) => (stage === 'local' ? `NODE_ENV=${nodeEnv}` : `PAYMENTS_STAGE=${stage}`);

export function parseApiKeyHashes(raw: string | undefined, problems: string[]): ApiKeyEntry[] {
  const entries = (raw ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  const keys: ApiKeyEntry[] = [];
  entries.forEach((entry, index) => {
    const separator = entry.lastIndexOf(':');
    const appId = separator === -1 ? null : entry.slice(0, separator);
    const hash = separator === -1 ? entry : entry.slice(separator + 1);
    if (appId !== null && !APP_ID_PATTERN.test(appId)) {
      problems.push(`TKH_API_KEY_HASH entry ${index + 1}: appId "${appId}" must be lower-case letters, digits or dashes`);
    } else if (!SHA256_HEX.test(hash)) {
      problems.push(`TKH_API_KEY_HASH entry ${index + 1}: expected <appId>:<64 hex chars of SHA-256>`);
    } else {
      keys.push({ appId, sha256: Buffer.from(hash, 'hex') });
    }
  });
  return keys;
}

function gatewaySettings(env: Env, problems: string[]): GatewaySettings {
  const optionalUrl = (name: string) => (env[name] ? url(env, name, null, problems) : null);
  // One budget for a gateway call (MoMo, Stripe, Paystack); past it the outcome is unknown.
  const timeoutMs = integer(env, 'GATEWAY_TIMEOUT_MS', 10_000, 50, 25_000, problems);
  const urlOr = (name: string, fallback: string) => url(env, name, fallback, problems);
  return {
    stripe: {
      secretKey: optional(env, 'STRIPE_SECRET_KEY'),
      webhookSecret: optional(env, 'STRIPE_WEBHOOK_SECRET'),
      apiBaseUrl: optionalUrl('STRIPE_API_BASE_URL'),
      timeoutMs,
    },
    paystack: { secretKey: optional(env, 'PAYSTACK_SECRET_KEY'), baseUrl: urlOr('PAYSTACK_BASE_URL', 'https://api.paystack.co'), timeoutMs },
    kkiapay: {
      publicKey: optional(env, 'KKIAPAY_PUBLIC_KEY'),
      privateKey: optional(env, 'KKIAPAY_PRIVATE_KEY'),
      secretKey: optional(env, 'KKIAPAY_SECRET_KEY'),
      webhookSecret: optional(env, 'KKIAPAY_WEBHOOK_SECRET'),
      baseUrl: urlOr('KKIAPAY_BASE_URL', 'https://api.kkiapay.me'),
      // No default: unset means no KkiaPay push, widget only (ADR 0017).
      pushPath: optional(env, 'KKIAPAY_PUSH_PATH'),
    },
    // One credential set per MoMo country (ADR 0018): MOMO_* plus any MOMO_<CC>_* sets.
    momo: momoSettings(env, urlOr('MOMO_BASE_URL', 'https://sandbox.momodeveloper.mtn.com'), timeoutMs, problems),
    moov: {
      endpointUrl: optionalUrl('MOOV_ENDPOINT_URL'),
      username: optional(env, 'MOOV_USERNAME'),
      password: optional(env, 'MOOV_PASSWORD'),
      encryptionKey: optional(env, 'MOOV_ENCRYPTION_KEY'),
      namespace: optional(env, 'MOOV_NAMESPACE') ?? 'http://api.merchant.tlc.com/',
    },
    tkh: { baseUrl: optionalUrl('TKH_BASE_URL'), apiKey: optional(env, 'TKH_API_KEY'), webhookSecret: optional(env, 'TKH_WEBHOOK_SECRET') },
  };
}

// Outbound webhooks (ADR 0019): loopback targets only for local receivers, never in production.
// HTTPS only and no loopback on any deployed stage, dev included (it runs NODE_ENV=development,
// but its Lambdas must never call their own network's addresses): ADR 0019, 0021.
function webhookSettings(env: Env, nodeEnv: NodeEnv, stage: Stage, deployed: boolean, problems: string[]): AppConfig['webhooks'] {
  const allowLoopback = oneOf(env, 'WEBHOOK_ALLOW_LOOPBACK', ['true', 'false'] as const, 'false', problems) === 'true';
  if (allowLoopback && deployed) problems.push(`WEBHOOK_ALLOW_LOOPBACK=true is refused when ${stageName(nodeEnv, stage)}`);
  return {
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 10_000, problems),
    requireHttps: deployed,
    allowLoopback: allowLoopback && !deployed,
  };
}

// One minute to 30 days: shorter would cancel a prompt the customer is still reading.
function intentExpiry(env: Env, problems: string[]): AppConfig['intentExpiry'] {
  const minutes = (name: string, fallback: number) => integer(env, name, fallback, 1, 43_200, problems);
  const d = DEFAULT_INTENT_EXPIRY_MINUTES;
  return {
    push: minutes('INTENT_EXPIRY_PUSH_MINUTES', d.push),
    redirect: minutes('INTENT_EXPIRY_REDIRECT_MINUTES', d.redirect),
    client_secret: minutes('INTENT_EXPIRY_CLIENT_SECRET_MINUTES', d.client_secret),
    widget: minutes('INTENT_EXPIRY_WIDGET_MINUTES', d.widget),
  };
}

// About USD 3,000 a day per app and currency; a currency not listed cannot be paid out unsourced.
export const DEFAULT_UNSOURCED_PAYOUT_LIMITS = { XOF: 2_000_000, XAF: 2_000_000, GNF: 30_000_000, GHS: 4_500_000, EUR: 300_000 } as const;

function payoutPolicy(env: Env, problems: string[]): AppConfig['payouts'] {
  const apps = (env.PAYOUT_UNSOURCED_APPS ?? '').split(',').map((app) => app.trim()).filter(Boolean);
  for (const app of apps) if (!APP_ID_PATTERN.test(app)) problems.push(`PAYOUT_UNSOURCED_APPS: "${app}" is not an appId`);
  const raw = env.PAYOUT_UNSOURCED_DAILY_LIMITS?.trim();
  if (!raw) return { unsourcedApps: apps, unsourcedDailyLimits: DEFAULT_UNSOURCED_PAYOUT_LIMITS };
  const limits: Record<string, number> = {};
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [currency, amount] = entry.split(':');
    if (!currency || !/^[A-Z]{3}$/.test(currency) || !amount || !/^\d{1,15}$/.test(amount)) {
      problems.push(`PAYOUT_UNSOURCED_DAILY_LIMITS: expected <CURRENCY>:<minor units>, e.g. XOF:2000000 (got "${entry}")`);
    } else {
      limits[currency] = Number(amount);
    }
  }
  return { unsourcedApps: apps, unsourcedDailyLimits: limits };
}

function optional(env: Env, name: string): string | null {
  return env[name]?.trim() || null;
}

function required(env: Env, name: string, problems: string[]): string {
  const value = env[name]?.trim();
  if (!value) problems.push(`${name} is required`);
  return value ?? '';
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return fallback;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const value = env[name]?.trim();
  if (!value) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
    return fallback;
  }
  return parsed;
}

function url(env: Env, name: string, fallback: string | null, problems: string[]): string {
  const value = env[name]?.trim();
  if (!value) {
    if (fallback === null) problems.push(`${name} is required`);
    return fallback ?? '';
  }
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    problems.push(`${name} must be an http(s) URL (got "${value}")`);
  }
  return value.replace(/\/+$/, '');
}
