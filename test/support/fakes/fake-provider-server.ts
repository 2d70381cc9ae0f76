import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FakeResponse, RecordedRequest } from '../fake-gateway-server.js';
import { FaultQueue, type FaultMode } from './faults.js';

export interface FakeRequest extends RecordedRequest {
  // Values of the route's `:name` segments, URI-decoded.
  params: Record<string, string>;
  query: URLSearchParams;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse;

// The bodies a provider uses for the two status codes the faults produce.
export interface FaultBodies {
  serverError: unknown;
  unavailable: unknown;
}

interface RouteEntry<Route extends string> {
  key: Route;
  method: string;
  segments: string[];
  handler: FakeHandler;
}

// The base of the provider fakes: like FakeGatewayServer (127.0.0.1, random port, every request
// recorded) but with `:param` routes and socket-level fault injection. Handlers are synchronous
// so the effect of a request is complete before the fault decides what the client sees.
export class FakeProviderServer<Route extends string = string> {
  readonly requests: FakeRequest[] = [];
  private readonly faults = new FaultQueue<Route>();
  private readonly routes: RouteEntry<Route>[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private server: Server | null = null;
  baseUrl = '';

  constructor(private readonly faultBodies: FaultBodies) {}

  // Queue `mode` for the next `times` requests that match `route` (its "METHOD /pattern" key).
  inject(route: Route, mode: FaultMode, times = 1): this {
    this.faults.add(route, mode, times);
    return this;
  }

  pendingFaults(route?: Route): number {
    return this.faults.pending(route);
  }

  // Resolves once `count` requests have been handled (their effect done), answered or not:
  // how a test knows a hanging request reached the fake without sleeping.
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this.baseUrl;
  }

  // closeAllConnections also ends the sockets an 'act-then-hang' fault left open.
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  protected route(key: Route, handler: FakeHandler): void {
    const [method = '', pattern = ''] = key.split(' ');
    this.routes.push({ key, method, segments: pattern.split('/'), handler });
  }

  private answer(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    this.respond(req, res, rawBody);
    for (const waiter of this.waiters.filter((w) => this.requests.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private respond(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const match = this.match(method, url.pathname);
    const request: FakeRequest = {
      method,
      path: url.pathname,
      headers: req.headers,
      rawBody,
      body: decode(rawBody),
      params: match?.params ?? {},
      query: url.searchParams,
    };
    this.requests.push(request);
    if (!match) return send(res, { status: 404, body: { message: `fake: no route for ${method} ${url.pathname}` } });

    const fault = this.faults.take(match.entry.key);
    if (fault === 'refuse-503') return send(res, { status: 503, body: this.faultBodies.unavailable });
    const reply = runHandler(match.entry.handler, request);
    if (fault === 'act-then-500') return send(res, { status: 500, body: this.faultBodies.serverError });
    // A TCP reset, so the client sees ECONNRESET rather than a clean end of stream.
    if (fault === 'act-then-reset') return void req.socket.resetAndDestroy();
    if (fault === 'act-then-hang') return;
    send(res, reply);
  }

  private match(method: string, path: string): { entry: RouteEntry<Route>; params: Record<string, string> } | undefined {
    const segments = path.split('/');
    for (const entry of this.routes) {
      if (entry.method !== method || entry.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = entry.segments.every((expected, i) => {
        const actual = segments[i] ?? '';
        if (!expected.startsWith(':')) return expected === actual;
        if (!actual) return false;
        params[expected.slice(1)] = decodeURIComponent(actual);
        return true;
      });
      if (matches) return { entry, params };
    }
    return undefined;
  }
}

// A bug in a fake must show up as a loud 500 naming it, never as a silent hang.
function runHandler(handler: FakeHandler, request: FakeRequest): FakeResponse {
  try {
    return handler(request);
  } catch (error) {
    return { status: 500, body: { message: `fake handler threw: ${(error as Error).message}` } };
  }
}

function send(res: ServerResponse, reply: FakeResponse): void {
  const hasBody = reply.body !== undefined;
  const text = !hasBody ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...reply.headers });
  res.end(text);
}

// Same decoding as FakeGatewayServer: JSON when possible, else flat form fields, else null.
function decode(rawBody: string): unknown {
  if (!rawBody) return null;
  try {
    return JSON.parse(rawBody);
  } catch {
    return Object.fromEntries(new URLSearchParams(rawBody));
  }
}

// The JSON object a JSON API received, or null when the body is missing, malformed or not an object.
export function jsonObject(request: FakeRequest): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(request.rawBody);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
