import { BlockList, isIP } from 'node:net';

// Where outbound webhooks may go (ADR 0019, SSRF): https only outside development/test, and never
// to private, loopback, link-local, metadata, CGNAT, multicast or unspecified addresses. Checked
// on the literal host at registration and on every resolved address at delivery time.
export interface TargetPolicy {
  requireHttps: boolean;
  // development/test only (load-config refuses it in production): local receivers on 127.0.0.1/::1.
  allowLoopback: boolean;
}

const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv4');
// fd00:ec2::254 (the EC2 IPv6 metadata address) is inside fc00::/7.
for (const [network, prefix] of [['::', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

// An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
function normalize(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return { address: mapped[1] as string, family: 'ipv4' };
  const version = isIP(bare);
  return version === 0 ? null : { address: bare, family: version === 4 ? 'ipv4' : 'ipv6' };
}

// Why an IP address may not be a webhook target, or null when it may.
export function refusedAddress(address: string, policy: TargetPolicy): string | null {
  const ip = normalize(address);
  if (ip === null) return 'not an IP address';
  if (LOOPBACK.check(ip.address, ip.family)) return policy.allowLoopback ? null : 'a loopback address';
  // IPv4 hidden in IPv6 forms other than ::ffff: (compatible ::a.b.c.d) is refused outright.
  if (ip.family === 'ipv6' && /\d+\.\d+\.\d+\.\d+$/.test(ip.address)) return 'an IPv4-in-IPv6 address';
  if (FORBIDDEN.check(ip.address, ip.family)) return 'a private, link-local, metadata or reserved address';
  return null;
}

// Why a URL may not be registered, or null. A host name is resolved (and checked) at delivery.
export function refusedUrl(raw: string, policy: TargetPolicy): string | null {
  if (!URL.canParse(raw)) return 'is not a valid URL';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'must be an https URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return policy.allowLoopback ? null : 'must not point at localhost';
  if (isIP(host) !== 0 || /^[\d.]+$/.test(host)) {
    const why = refusedAddress(host, policy);
    return why === null ? null : `must not point at ${why}`;
  }
  return null;
}
