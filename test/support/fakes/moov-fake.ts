import { createCipheriv } from 'node:crypto';
import type { FakeResponse } from '../fake-gateway-server.js';
import { FakeProviderServer, type FakeRequest } from './fake-provider-server.js';

// A stateful fake of Moov Africa Benin's merchant "UssdPush" SOAP service, payout side only
// (cashintrans, getTransactionStatus), in the wire format of docs/gateways/moov.md and
// test/unit/gateways/moov-disbursement.provider.spec.ts. Community-sourced, like the adapter:
// - the token is base64(AES-256-CBC("0:<user>:<password>")) with a zero IV (both public SDKs);
// - answers are JAX-WS shaped (<ns2:<op>Response><return|response>…<status>…</status>);
// - status 0 paid, 100 pending, 98 bad token, 94 "transaction does not exist";
// - the transport of both SDKs: POST to `…/UssdPush?wsdl`, `Content-Type: application/soap+xml;
//   charset=utf-8`, no SOAPAction header. Nothing says Moov refuses other forms, but nothing says
//   it accepts them either, so the fake refuses them (415 / 400 / 404, before any effect).
// Assumed, and chosen to be the strictest for the service:
// - cashintrans is NOT idempotent: every accepted request pays once more, even with a
//   referenceid already seen (no source says Moov refuses a duplicate);
// - getTransactionStatus finds a transfer by Moov's transid or by our referenceid.
// Faults (inject) apply to the next SOAP request to the endpoint, whatever its operation: one
// URL serves every operation.

export const MOOV_PATH = '/com.tlc.merchant.api/UssdPush';
export const MOOV_ROUTE = `POST ${MOOV_PATH}` as const;
export const MOOV_TEST_KEY = 'tlc12345tlc12345tlc12345tlc12345';

export interface MoovTransfer {
  transid: string;
  referenceid: string;
  amount: number;
  destination: string;
  // 0 paid, 100 pending, anything else failed.
  status: number;
}

const soapFault = (text: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>${text}</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
const answer = (operation: string, wrapper: string, fields: string): FakeResponse => ({
  status: 200,
  headers: { 'content-type': 'text/xml; charset=utf-8' },
  body:
    '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<ns2:${operation}Response xmlns:ns2="http://api.merchant.tlc.com/"><${wrapper}>${fields}</${wrapper}></ns2:${operation}Response>` +
    '</soap:Body></soap:Envelope>',
});

export class MoovFake extends FakeProviderServer<typeof MOOV_ROUTE> {
  readonly transfers: MoovTransfer[] = [];
  // What cashintrans answers for a new transfer: 0 (paid at once, as in the SDK samples) or 100.
  cashInStatus = 0;
  private readonly token: string;

  constructor(credentials: { username: string; password: string; key?: string }) {
    super({ serverError: soapFault('Internal error'), unavailable: soapFault('Service unavailable') });
    const cipher = createCipheriv('aes-256-cbc', Buffer.from(credentials.key ?? MOOV_TEST_KEY, 'utf8'), Buffer.alloc(16, 0));
    this.token = Buffer.concat([cipher.update(`0:${credentials.username}:${credentials.password}`, 'utf8'), cipher.final()]).toString('base64');
    this.route(MOOV_ROUTE, (req) => this.handle(req));
  }

  // Francs that reached subscribers (transfers with status 0).
  paidOut(): number {
    return this.transfers.filter((t) => t.status === 0).reduce((total, t) => total + t.amount, 0);
  }

  // Accepted cashintrans requests, i.e. payouts Moov carried out or is carrying out.
  cashIns(referenceid?: string): number {
    return this.transfers.filter((t) => referenceid === undefined || t.referenceid === referenceid).length;
  }

  // A pending transfer ends (0 paid, or a failure code).
  settle(referenceid: string, status: number): void {
    const transfer = this.transfers.find((t) => t.referenceid === referenceid);
    if (!transfer || transfer.status !== 100) throw new Error(`Moov has no pending transfer ${referenceid}`);
    transfer.status = status;
  }

  private handle(req: FakeRequest): FakeResponse {
    if (!req.query.has('wsdl')) return { status: 404, body: soapFault('No endpoint at this URL: call …/UssdPush?wsdl') };
    const type = String(req.headers['content-type'] ?? '').replace(/\s+/g, '').toLowerCase();
    if (type !== 'application/soap+xml;charset=utf-8') return { status: 415, body: soapFault('Unsupported content type') };
    if (req.headers.soapaction !== undefined) return { status: 400, body: soapFault('Unexpected SOAPAction header') };
    const operation = /<soapenv:Body>\s*<api:(\w+)>/.exec(req.rawBody)?.[1];
    if (field(req.rawBody, 'token') !== this.token) return answer(operation ?? 'unknown', 'return', '<status>98</status><message>Invalid token</message>');
    if (operation === 'cashintrans') return this.cashIn(req.rawBody);
    if (operation === 'getTransactionStatus') return this.status(req.rawBody);
    return { status: 500, body: soapFault(`Cannot find dispatch method for ${operation ?? '?'}`) };
  }

  private cashIn(xml: string): FakeResponse {
    const amount = Number(field(xml, 'amount'));
    const destination = field(xml, 'destination') ?? '';
    const referenceid = field(xml, 'referenceid') ?? '';
    if (!Number.isSafeInteger(amount) || amount <= 0 || !/^\d{8,15}$/.test(destination) || !referenceid) {
      return answer('cashintrans', 'return', '<status>91</status><message>Parametres incomplets</message>');
    }
    const transfer = { transid: `0${20260000000000 + this.transfers.length + 1}`, referenceid, amount, destination, status: this.cashInStatus };
    this.transfers.push(transfer);
    return answer('cashintrans', 'return', `<message>Vous avez envoye ${amount} FCFA.</message><referenceid>${referenceid}</referenceid><status>${transfer.status}</status><transid>${transfer.transid}</transid>`);
  }

  private status(xml: string): FakeResponse {
    const id = field(xml, 'transid');
    const transfer = this.transfers.find((t) => t.transid === id || t.referenceid === id);
    if (!transfer) return answer('getTransactionStatus', 'response', '<description>TRANSACTION DOES NOT EXIST</description><status>94</status>');
    return answer('getTransactionStatus', 'response', `<description>${transfer.status === 0 ? 'SUCCESS' : 'STATUS'}</description><referenceid>${transfer.transid}</referenceid><status>${transfer.status}</status>`);
  }
}

// The text of a leaf element of the request (our envelope has no prefixes inside <request>).
function field(xml: string, name: string): string | null {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? null;
}
