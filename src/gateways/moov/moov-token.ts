import { createCipheriv } from 'node:crypto';

// Community-sourced (docs/gateways/moov.md): token = base64(AES-256-CBC("0:<user>:<password>")),
// key = the merchant key's UTF-8 bytes (32 for AES-256), IV = 16 zero bytes, PKCS#7 padding.
// Both public SDKs (v1p3r75/moov-money-api-php-sdk, Brainsial/moov-money-api-sdk) agree on this
// and publish the same test vectors, which our spec checks against.
export const MOOV_KEY_BYTES = 32;

export function isUsableMoovKey(encryptionKey: string): boolean {
  return Buffer.byteLength(encryptionKey, 'utf8') === MOOV_KEY_BYTES;
}

// Deterministic (no nonce or time): the token is a long-lived credential, never log it.
export function moovToken(username: string, password: string, encryptionKey: string): string {
  if (!isUsableMoovKey(encryptionKey)) throw new RangeError(`Moov encryption key must be ${MOOV_KEY_BYTES} bytes`);
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(encryptionKey, 'utf8'), Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(`0:${username}:${password}`, 'utf8'), cipher.final()]).toString('base64');
}
