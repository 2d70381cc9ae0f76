import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_INTENT_EXPIRY_MINUTES, expiresAt, isExpired } from '../../src/domain/intent-expiry.js';

const base = { NODE_ENV: 'test', PAYMENTS_TABLE_NAME: 't' };
const intent = { createdAt: '2026-12-02T10:00:00.000Z', paymentMode: 'push' as const };

describe('intent expiry policy', () => {
  it('defaults per flow: push 30 min, redirect and client_secret a day, widget an hour', () => {
    expect(loadConfig(base).intentExpiry).toEqual({ push: 30, redirect: 1440, client_secret: 1440, widget: 60 });
    expect(DEFAULT_INTENT_EXPIRY_MINUTES).toEqual(loadConfig(base).intentExpiry);
  });

  it('reads each flow from its variable and refuses values outside 1-43200 minutes', () => {
    const env = { ...base, INTENT_EXPIRY_PUSH_MINUTES: '5', INTENT_EXPIRY_REDIRECT_MINUTES: '120', INTENT_EXPIRY_CLIENT_SECRET_MINUTES: '90', INTENT_EXPIRY_WIDGET_MINUTES: '15' };
    expect(loadConfig(env).intentExpiry).toEqual({ push: 5, redirect: 120, client_secret: 90, widget: 15 });
    expect(() => loadConfig({ ...base, INTENT_EXPIRY_PUSH_MINUTES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, INTENT_EXPIRY_WIDGET_MINUTES: 'soon' })).toThrow(/INTENT_EXPIRY_WIDGET_MINUTES/);
  });

  it('expiresAt counts from creation; expired from that instant on', () => {
    const policy = { ...DEFAULT_INTENT_EXPIRY_MINUTES, push: 30 };
    expect(expiresAt(intent, policy).toISOString()).toBe('2026-12-02T10:30:00.000Z');
    expect(expiresAt({ ...intent, paymentMode: 'redirect' }, policy).toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(isExpired(intent, policy, new Date('2026-12-02T10:29:59.999Z'))).toBe(false);
    expect(isExpired(intent, policy, new Date('2026-12-02T10:30:00.000Z'))).toBe(true);
  });
});
