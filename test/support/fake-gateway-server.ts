import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  // JSON-parsed when possible, else form-decoded, else null.
  body: unknown;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Route = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

// A local HTTP server (127.0.0.1, random port) that speaks a gateway's wire format in tests:
// routes by "METHOD /path" (path without query; a trailing * matches a prefix) and records
// every request so tests can assert exactly what the adapter sent.
export class FakeGatewayServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private server: Server | null = null;
  baseUrl = '';

  on(methodAndPath: string, route: Route | FakeResponse): this {
    this.routes.set(methodAndPath, typeof route === 'function' ? route : () => route);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void this.answer(req, Buffer.concat(chunks).toString('utf8')).then((reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  last(): RecordedRequest {
    const request = this.requests.at(-1);
    if (!request) throw new Error('no request recorded');
    return request;
  }

  private async answer(req: IncomingMessage, rawBody: string): Promise<FakeResponse> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, rawBody, body: decode(rawBody) };
    this.requests.push(recorded);
    const route = this.routes.get(`${recorded.method} ${path}`) ?? this.prefixRoute(`${recorded.method} ${path}`);
    return route ? route(recorded) : { status: 404, body: { message: `fake: no route for ${recorded.method} ${path}` } };
  }

  private prefixRoute(key: string): Route | undefined {
    for (const [pattern, route] of this.routes) {
      if (pattern.endsWith('*') && key.startsWith(pattern.slice(0, -1))) return route;
    }
    return undefined;
  }
}

function decode(rawBody: string): unknown {
  if (!rawBody) return null;
  try {
    return JSON.parse(rawBody);
  } catch {
    return Object.fromEntries(new URLSearchParams(rawBody));
  }
}

// A port nothing listens on, for "gateway down" tests (connection refused).
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}
