import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

// A local HTTP server answering each request with the next scripted reply ('hang' never answers;
// 'reset' destroys the socket), recording what it received.
export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'reset';

export async function fakeApi(replies: Reply[]) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = replies.shift() ?? { status: 500, body: { statusCode: 500, error: 'INTERNAL_ERROR', message: 'no reply scripted' } };
      if (reply === 'hang') return void hanging.push(res);
      if (reply === 'reset') return void req.socket.destroy();
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers }).end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    received,
    close: async () => {
      hanging.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}
