import { describe, expect, it } from '@jest/globals';
import { localServerEnvironment } from '../../src/config/local-start.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const NPM_START = { npm_lifecycle_event: 'start' };

describe('main.ts start-up environment (issue 14)', () => {
  it('refuses to start without NODE_ENV unless run through npm start', () => {
    expect(() => localServerEnvironment({})).toThrow(ConfigError);
    expect(() => localServerEnvironment({ npm_lifecycle_event: 'test' })).toThrow(/NODE_ENV is required/);
  });

  it('npm start means development with local defaults; the environment still wins', () => {
    expect(localServerEnvironment(NPM_START)).toMatchObject({
      NODE_ENV: 'development',
      PORT: '3002',
      PAYMENTS_TABLE_NAME: 'payments-local',
      PUBLIC_BASE_URL: 'http://localhost:3002',
    });
    expect(localServerEnvironment({ ...NPM_START, PORT: '4000', NODE_ENV: 'test' })).toMatchObject({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'http://localhost:4000' });
  });

  it('production, even under npm start, gets no defaults: PUBLIC_BASE_URL and the table are required', () => {
    const env = localServerEnvironment({ ...NPM_START, NODE_ENV: 'production' });
    expect(env.PUBLIC_BASE_URL).toBeUndefined();
    expect(env.PAYMENTS_TABLE_NAME).toBeUndefined();
    expect(() => loadConfig(env)).toThrow(/PUBLIC_BASE_URL is required/);
  });
});
