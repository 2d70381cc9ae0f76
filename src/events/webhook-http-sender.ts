import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { refusedAddress, refusedUrl, type TargetPolicy } from '../domain/webhook-target-policy.js';
import { RESPONSE_EXCERPT_CHARS, WEBHOOK_MAX_TIMEOUT_MS } from '../domain/webhook-schedule.js';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../services/webhook-ports.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

// DNS, injectable so tests can make a name resolve to 127.0.0.1 (or anything else).
export interface AddressResolver {
  resolve(hostname: string): Promise<ResolvedAddress[]>;
}

export const systemResolver: AddressResolver = { resolve: (hostname) => dnsLookup(hostname, { all: true, verbatim: true }) };

// The most of a body read before the connection is dropped (only an excerpt is kept anyway).
const MAX_BODY_BYTES = 4_096;

// POSTs one signed webhook. The host is resolved here and every address checked against the
// policy; the connection is then made to the checked address (the `lookup` option answers with
// it), so a second DNS answer cannot swap in a private address (DNS rebinding). Redirects are
// never followed: node:http does not, and a 3xx counts as a failed attempt.
export class HttpWebhookSender implements WebhookSender {
  private readonly timeoutMs: number;

  constructor(
    private readonly policy: TargetPolicy,
    timeoutMs: number,
    private readonly resolver: AddressResolver = systemResolver,
  ) {
    this.timeoutMs = Math.min(timeoutMs, WEBHOOK_MAX_TIMEOUT_MS);
  }

  async send(webhook: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const urlProblem = refusedUrl(webhook.url, this.policy);
    if (urlProblem) return { kind: 'refused', reason: `url ${urlProblem}`, latencyMs: elapsed() };
    const url = new URL(webhook.url);
    const host = hostOf(url);
    let target: ResolvedAddress;
    try {
      target = await this.checkedAddress(host);
    } catch (error) {
      return { kind: 'refused', reason: error instanceof Error ? error.message : String(error), latencyMs: elapsed() };
    }
    try {
      const { status, excerpt } = await this.post(url, target, webhook);
      return { kind: 'answered', status, excerpt, latencyMs: elapsed() };
    } catch (error) {
      return { kind: 'failed', reason: error instanceof Error ? error.message : String(error), latencyMs: elapsed() };
    }
  }

  private async checkedAddress(host: string): Promise<ResolvedAddress> {
    const literal = isIP(host);
    const resolving = literal === 0 ? withTimeout(this.resolver.resolve(host), this.timeoutMs, `DNS lookup of ${host} timed out`) : Promise.resolve([{ address: host, family: literal }]);
    const addresses = await resolving.catch((error: unknown) => {
      throw new Error(`DNS lookup of ${host} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (addresses.length === 0) throw new Error(`DNS lookup of ${host} returned no address`);
    // Every answer must be allowed: a name that also points inside the network is refused.
    for (const { address } of addresses) {
      const why = refusedAddress(address, this.policy);
      if (why) throw new Error(`${host} resolves to ${why} (${address})`);
    }
    return addresses[0] as ResolvedAddress;
  }

  private post(url: URL, target: ResolvedAddress, webhook: WebhookRequest): Promise<{ status: number; excerpt: string }> {
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const options: RequestOptions & { servername?: string } = {
      method: 'POST',
      hostname: hostOf(url),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: { ...webhook.headers, 'content-length': String(Buffer.byteLength(webhook.body)) },
      lookup,
      // No pooled socket: each attempt connects to the address it just checked.
      agent: false,
      // SNI names the host (never an IP literal); the certificate is still checked against it.
      ...(url.protocol === 'https:' && isIP(hostOf(url)) === 0 ? { servername: hostOf(url) } : {}),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      // Once the status line is in, a body still dripping at the deadline does not undo the answer.
      let answered: (() => void) | null = null;
      const req = send(options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          res.destroy();
          resolve({ status: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_EXCERPT_CHARS) });
        };
        answered = finish;
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_BODY_BYTES) finish();
        });
        res.on('end', finish);
        res.on('error', (error) => reject(error));
      });
      const timer = setTimeout(() => (answered ? answered() : req.destroy(new Error(`no answer within ${this.timeoutMs} ms`))), this.timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(webhook.body);
    });
  }
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

// The per-attempt budget covers DNS too: a resolver that never answers must not hold a worker.
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
