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
