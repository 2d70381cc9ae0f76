import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApiKeyGuard } from '../../src/api/api-key.guard.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { parseApiKeyHashes } from '../../src/config/load-config.js';
import { canActFor } from '../../src/services/principal.js';

const hex = (key: string) => createHash('sha256').update(key).digest('hex');

function guard(nodeEnv: AppConfig['nodeEnv'], hashes: string): ApiKeyGuard {
  const apiKeys = parseApiKeyHashes(hashes, []);
  return new ApiKeyGuard({ nodeEnv, apiKeys } as AppConfig);
}

describe('X-API-Key guard', () => {
  const hashes = `kaba:${hex('kaba-key')},events:${hex('events-key')},${hex('ops-key')}`;

  it('maps a matching key to its appId', () => {
    expect(guard('production', hashes).authenticate('events-key')).toEqual({ appId: 'events' });
    expect(guard('production', hashes).authenticate('kaba-key')).toEqual({ appId: 'kaba' });
  });

  it('maps a bare hash to an unscoped operations principal', () => {
    expect(guard('production', hashes).authenticate('ops-key')).toEqual({ appId: null });
  });

  it('rejects a wrong or missing key with UNAUTHORIZED', () => {
    expect(() => guard('production', hashes).authenticate('nope')).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED', message: 'Invalid X-API-Key' }),
    );
    expect(() => guard('production', hashes).authenticate(undefined)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED', message: 'Missing X-API-Key header' }),
    );
  });

  it('compares the hash, so a key equal to a configured hash string is not accepted', () => {
    expect(() => guard('production', hashes).authenticate(hex('kaba-key'))).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });

  it('skips the check in development when no hash is configured (seed: local development)', () => {
    expect(guard('development', '').authenticate(undefined)).toEqual({ appId: null });
  });

  it('keeps checking in development once a hash is configured, and in test without one', () => {
    expect(() => guard('development', hashes).authenticate(undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(() => guard('test', '').authenticate('anything')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
  });

  it('scopes principals: an app key acts only for its app, an operations key for all', () => {
    expect(canActFor({ appId: 'kaba' }, 'kaba')).toBe(true);
    expect(canActFor({ appId: 'kaba' }, 'events')).toBe(false);
    expect(canActFor({ appId: null }, 'events')).toBe(true);
  });
});
