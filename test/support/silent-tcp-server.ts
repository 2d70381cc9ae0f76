import { createServer, type Server, type Socket } from 'node:net';

// A TCP server that accepts every connection and never answers: what a hung SNS or SSM endpoint
// looks like to a client. Tests point an SDK client's endpoint at it.
export class SilentTcpServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  connections = 0;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
