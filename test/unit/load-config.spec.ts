import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const HASH = 'a'.repeat(64);

describe('loadConfig', () => {
  it('builds a typed config from valid variables', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      PUBLIC_BASE_URL: 'https://pay.example.com/',
      PAYMENTS_TABLE_NAME: 'payments-prod',
      TKH_API_KEY_HASH: `kaba:${HASH}, ${HASH}`,
      PAYMENTS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-prod',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      publicBaseUrl: 'https://pay.example.com',
      tableName: 'payments-prod',
      dynamodbEndpoint: null,
      awsRegion: 'ca-central-1',
      paymentsTopicArn: 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-prod',
      outboxGraceSeconds: 60,
    });
    expect(config.apiKeys.map((key) => key.appId)).toEqual(['kaba', null]);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'staging', PORT: 'eighty', TKH_API_KEY_HASH: 'kaba:xyz', PUBLIC_BASE_URL: 'ftp://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'NODE_ENV must be one of development, test, production (got "staging")',
      'TKH_API_KEY_HASH entry 1: expected <appId>:<64 hex chars of SHA-256>',
      'TKH_API_KEY_HASH is required when NODE_ENV=production (comma-separated <appId>:<sha256 hex>)',
      'PORT must be an integer from 1 to 65535 (got "eighty")',
      'PUBLIC_BASE_URL must be an http(s) URL (got "ftp://x")',
      'PAYMENTS_TABLE_NAME is required',
      'PAYMENTS_TOPIC_ARN is required when NODE_ENV=production',
    ]);
    expect((error as Error).message).toContain('  - PORT must be');
  });

  it('defaults to production (safe) and requires key hashes and a public URL there', () => {
    expect(() => loadConfig({ PAYMENTS_TABLE_NAME: 't' })).toThrow(/TKH_API_KEY_HASH is required[\s\S]*PUBLIC_BASE_URL is required/);
  });

  it('allows development without keys (the seed\'s local bypass)', () => {
    expect(loadConfig({ NODE_ENV: 'development', PAYMENTS_TABLE_NAME: 't' }).apiKeys).toEqual([]);
  });
});

describe('loadConfig: deployed stages (ADR 0021)', () => {
  const TOPIC = 'arn:aws:sns:ca-central-1:497172038983:payments-dev';
  const deployed = { PAYMENTS_TABLE_NAME: 't', PUBLIC_BASE_URL: 'https://x.example', TKH_API_KEY_HASH: `kaba:${HASH}`, PAYMENTS_TOPIC_ARN: TOPIC };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('dev: development semantics (the mock exists) with a key, a topic and a mock secret required', () => {
    const config = loadConfig({ ...deployed, PAYMENTS_STAGE: 'dev', NODE_ENV: 'development', MOCK_WEBHOOK_SECRET: 's' });
    expect(config).toMatchObject({ stage: 'dev', nodeEnv: 'development' });
    expect(problemsOf({ PAYMENTS_STAGE: 'dev', NODE_ENV: 'development', PAYMENTS_TABLE_NAME: 't' })).toEqual([
      'TKH_API_KEY_HASH is required when PAYMENTS_STAGE=dev (comma-separated <appId>:<sha256 hex>)',
      'PUBLIC_BASE_URL is required',
      'PAYMENTS_TOPIC_ARN is required when PAYMENTS_STAGE=dev',
      'MOCK_WEBHOOK_SECRET is required when PAYMENTS_STAGE=dev',
    ]);
  });

  it('a stage runs only with its own NODE_ENV: prod is never development', () => {
    expect(problemsOf({ ...deployed, PAYMENTS_STAGE: 'prod', NODE_ENV: 'development' })).toEqual([
      'PAYMENTS_STAGE=prod runs with NODE_ENV=production (got "development")',
    ]);
    expect(problemsOf({ ...deployed, PAYMENTS_STAGE: 'dev', NODE_ENV: 'production', MOCK_WEBHOOK_SECRET: 's' })).toEqual([
      'PAYMENTS_STAGE=dev runs with NODE_ENV=development (got "production")',
    ]);
    expect(loadConfig({ ...deployed, PAYMENTS_STAGE: 'prod', NODE_ENV: 'production' }).stage).toBe('prod');
    // Outbound webhooks from a deployed dev stage: https only, never loopback (ADR 0019).
    const dev = { ...deployed, PAYMENTS_STAGE: 'dev', NODE_ENV: 'development', MOCK_WEBHOOK_SECRET: 's' };
    expect(loadConfig(dev).webhooks).toMatchObject({ requireHttps: true, allowLoopback: false });
    expect(problemsOf({ ...dev, WEBHOOK_ALLOW_LOOPBACK: 'true' })).toEqual(['WEBHOOK_ALLOW_LOOPBACK=true is refused when PAYMENTS_STAGE=dev']);
    expect(loadConfig({ NODE_ENV: 'development', PAYMENTS_TABLE_NAME: 't', WEBHOOK_ALLOW_LOOPBACK: 'true' }).webhooks).toMatchObject({ requireHttps: false, allowLoopback: true });
    expect(loadConfig({ NODE_ENV: 'development', PAYMENTS_TABLE_NAME: 't' }).stage).toBe('local');
  });
});

describe('loadConfig: rate limits (ADR 0021)', () => {
  const base = { NODE_ENV: 'test', PAYMENTS_TABLE_NAME: 't' };

  it('per key: a default for every app and per-app budgets', () => {
    const { rateLimits } = loadConfig({ ...base, RATE_LIMIT_PER_KEY: '2500', RATE_LIMIT_PER_KEY_APPS: 'kaba:3000, events:600' });
    expect(rateLimits.perApiKey).toEqual({ limit: 2500, ttlMs: 60_000, perApp: { kaba: 3000, events: 600 } });
    expect(rateLimits.api).toEqual({ limit: 100, ttlMs: 60_000 });
  });

  it('names bad values', () => {
    expect(() => loadConfig({ ...base, RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_KEY_APPS: 'kaba=3000,Events:5,x:' })).toThrow(
      new ConfigError([
        'RATE_LIMIT_PER_KEY must be an integer from 1 to 1000000 (got "0")',
        'RATE_LIMIT_PER_KEY_APPS: expected <appId>:<requests per 60 s>, e.g. kaba:3000 (got "kaba=3000")',
        'RATE_LIMIT_PER_KEY_APPS: expected <appId>:<requests per 60 s>, e.g. kaba:3000 (got "Events:5")',
        'RATE_LIMIT_PER_KEY_APPS: expected <appId>:<requests per 60 s>, e.g. kaba:3000 (got "x:")',
      ]),
    );
  });
});

describe('.env.example', () => {
  it('documents exactly the variables the config reads (plus DATA_DIR for npm start, SSM_PARAMETER_PATH for Lambda)', async () => {
    const { readFileSync } = await import('node:fs');
    const read = new Set<string>();
    const spy = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    expect(() => loadConfig(spy)).toThrow(ConfigError);
    const documented = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect(documented.sort()).toEqual([...read, 'DATA_DIR', 'SSM_PARAMETER_PATH'].sort());
  });
});
