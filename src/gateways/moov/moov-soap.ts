import { createCipheriv } from 'node:crypto';

// Community-sourced facts about Moov Africa Benin's merchant API (docs/gateways/moov.md):
// SOAP 1.1 on …/com.tlc.merchant.api/UssdPush, namespace http://api.merchant.tlc.com/,
// a token = base64(AES-256-CBC("0:<user>:<password>")) keyed with the merchant key (zero IV),
// answers carrying <statuscode> 0 (done) / 100 (pending) and <referenceid> or <transid>.

const xmlEscape = (value: string) =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

export function moovToken(username: string, password: string, encryptionKey: string): string {
  const key = Buffer.alloc(32);
  Buffer.from(encryptionKey, 'utf8').copy(key, 0, 0, 32);
  const cipher = createCipheriv('aes-256-cbc', key, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(`0:${username}:${password}`, 'utf8'), cipher.final()]).toString('base64');
}

// <api:operation><token/><request>…fields…</request></api:operation> in a SOAP envelope.
export function soapEnvelope(namespace: string, operation: string, token: string, fields: Record<string, string | number>): string {
  const request = Object.entries(fields)
    .map(([name, value]) => `<${name}>${xmlEscape(String(value))}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:api="${xmlEscape(namespace)}">` +
    `<soapenv:Header/><soapenv:Body><api:${operation}><token>${xmlEscape(token)}</token><request>${request}</request>` +
    `</api:${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

export interface MoovAnswer {
  statusCode: number | null;
  reference: string | null;
  description: string | null;
}

const element = (xml: string, name: string) => new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`, 'i').exec(xml)?.[1] ?? null;

export function parseMoovAnswer(xml: string): MoovAnswer {
  const code = element(xml, 'statuscode');
  return {
    statusCode: code !== null && /^-?\d+$/.test(code.trim()) ? Number(code.trim()) : null,
    reference: element(xml, 'referenceid') ?? element(xml, 'transid'),
    description: element(xml, 'description'),
  };
}
