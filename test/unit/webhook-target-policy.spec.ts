import { describe, expect, it } from '@jest/globals';
import { refusedAddress, refusedUrl } from '../../src/domain/webhook-target-policy.js';
import { eventFamilyOf, signingSecretsAt, targetUrlFor } from '../../src/domain/webhook-endpoint.js';

const production = { requireHttps: true, allowLoopback: false };
const local = { requireHttps: false, allowLoopback: true };

describe('webhook target policy', () => {
  it.each([
    '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.255.255', '127.0.0.1', '127.9.9.9',
    '169.254.169.254', '169.254.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1', 'fd00:ec2::254', 'fe80::1', 'fe80::1%eth0',
    '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1', '::127.0.0.1',
  ])('refuses %s in production', (address) => {
    expect(refusedAddress(address, production)).not.toBeNull();
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::6810:85e5'])('allows the public %s', (address) => {
    expect(refusedAddress(address, production)).toBeNull();
  });

  it('allows loopback only when configured, never private addresses', () => {
    expect(refusedAddress('127.0.0.1', local)).toBeNull();
    expect(refusedAddress('::1', local)).toBeNull();
    expect(refusedAddress('10.0.0.1', local)).not.toBeNull();
    expect(refusedUrl('http://localhost:3000/x', local)).toBeNull();
    expect(refusedUrl('http://localhost:3000/x', production)).toBe('must be an https URL');
    expect(refusedUrl('https://localhost/x', production)).toBe('must not point at localhost');
    expect(refusedUrl('https://2130706433/x', production)).toBe('must not point at a loopback address');
    expect(refusedUrl('https://0x7f.1/x', production)).toBe('must not point at a loopback address');
    expect(refusedUrl('https://hooks.example.com/x', production)).toBeNull();
  });
});

describe('webhook endpoint rules', () => {
  it('maps every event type to its family and falls back to the generic URL', () => {
    expect(['payment.completed', 'payment.failed', 'payment.refunded', 'disbursement.completed', 'disbursement.failed'].map((t) => eventFamilyOf(t as never))).toEqual([
      'payments', 'payments', 'refunds', 'payouts', 'payouts',
    ]);
    const endpoint = { url: 'https://a/all', familyUrls: { payouts: 'https://a/payouts' } };
    expect(targetUrlFor(endpoint, 'payment.completed')).toBe('https://a/all');
    expect(targetUrlFor(endpoint, 'disbursement.failed')).toBe('https://a/payouts');
  });

  it('signs with the previous secret only until its overlap ends', () => {
    const secrets = [
      { secret: 'new', createdAt: 't', expiresAt: null },
      { secret: 'old', createdAt: 't', expiresAt: '2026-12-10T09:00:00.000Z' },
    ];
    expect(signingSecretsAt({ secrets }, new Date('2026-12-10T08:59:59.000Z'))).toEqual(['new', 'old']);
    expect(signingSecretsAt({ secrets }, new Date('2026-12-10T09:00:00.000Z'))).toEqual(['new']);
  });
});
