import { createServer, type Server } from 'node:http';

export interface ReceivedPost {
  body: { Message: string; MessageAttributes: Record<string, { Type: string; Value: string }> };
}

// A local HTTP listener standing in for a product's event endpoint (LOCAL_EVENT_WEBHOOK_URL).
export class EventListener {
  readonly received: ReceivedPost[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private server: Server | null = null;

  // A given port restarts a listener where a service already points (a listener that was down).
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(204).end();
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.count ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return `http://127.0.0.1:${address.port}/events`;
  }

  // Resolves once `count` posts have arrived (no polling, no sleeping).
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  messages(): Array<Record<string, unknown>> {
    return this.received.map((post) => JSON.parse(post.body.Message) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
