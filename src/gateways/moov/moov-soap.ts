// The wire format of Moov Africa Benin's merchant "UssdPush" SOAP 1.1 service, as public
// integrations use it (community-sourced, see docs/gateways/moov.md). No XML library: we build
// one fixed envelope shape and read a few leaf elements back.

export const MOOV_DEFAULT_NAMESPACE = 'http://api.merchant.tlc.com/';
// As both community SDKs send it (docs/gateways/moov.md): the SOAP 1.2 media type, with no
// SOAPAction header (the operation is named by the body element), to the `…?wsdl` URL.
export const MOOV_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

// The endpoint as the SDKs call it: MOOV_ENDPOINT_URL with `?wsdl` appended when its query does
// not already name `wsdl` (an operator may paste either form from Moov's onboarding mail).
export function moovRequestUrl(endpointUrl: string): string {
  const url = new URL(endpointUrl);
  if (url.searchParams.has('wsdl')) return endpointUrl;
  return url.search ? `${endpointUrl}&wsdl` : `${endpointUrl.replace(/\?$/, '')}?wsdl`;
}

const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

export function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ESCAPES[c] ?? c);
}

function xmlUnescape(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|apos|quot);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

export interface MoovCall {
  namespace: string;
  operation: string;
  token: string;
  // The children of <request>, in order (Moov's schema is a sequence).
  request: ReadonlyArray<readonly [name: string, value: string | number]>;
}

// <api:op><token/><request>…</request></api:op> — the shape of cashintrans, getTransactionStatus,
// transferFlooz, getBalance (Push/PushWithPending put their fields directly under the operation).
export function buildMoovEnvelope(call: MoovCall): string {
  const fields = call.request.map(([name, value]) => `<${name}>${xmlEscape(String(value))}</${name}>`).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}" xmlns:api="${xmlEscape(call.namespace)}">` +
    '<soapenv:Header/>' +
    `<soapenv:Body><api:${call.operation}><token>${xmlEscape(call.token)}</token><request>${fields}</request></api:${call.operation}></soapenv:Body>` +
    '</soapenv:Envelope>'
  );
}

export interface MoovAnswer {
  // null when the answer has no readable status (a SOAP fault, an HTML error page, …).
  statusCode: number | null;
  // Moov's own transaction id (cashintrans, getTransactionStatus).
  transactionId: string | null;
  // The reference: ours echoed back by cashintrans, Moov's on getTransactionStatus.
  referenceId: string | null;
}

// The text of the first <name> leaf element, whatever its namespace prefix; null if absent/empty.
export function leafText(xml: string, name: string): string | null {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*?))\\s*</(?:[\\w.-]+:)?${name}\\s*>`, 'i');
  const match = pattern.exec(xml);
  if (!match) return null;
  const text = match[1] ?? xmlUnescape(match[2] ?? '');
  return text.trim() === '' ? null : text.trim();
}

// Answers carry <status> (SDK samples); some integrations read <statuscode>: accept both.
// <message>/<description> are not kept: they can name the subscriber and echo the MSISDN.
export function parseMoovAnswer(xml: string): MoovAnswer {
  const code = leafText(xml, 'status') ?? leafText(xml, 'statuscode');
  return {
    statusCode: code !== null && /^-?\d{1,9}$/.test(code) ? Number(code) : null,
    transactionId: leafText(xml, 'transid'),
    referenceId: leafText(xml, 'referenceid'),
  };
}
