import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { AppDependencies } from '../../src/app.dependencies.js';
import type { Env } from '../../src/config/load-config.js';
import type { Refund } from '../../src/domain/refund.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { checkDelay } from '../../src/domain/check-schedule.js';
import { IDEMPOTENCY_LEASE_MS } from '../../src/storage/idempotency.repository.js';
import { DynamoRefundStore } from '../../src/storage/refund.repository.js';
import { keys } from '../../src/storage/table-schema.js';
import type { FakeProviderServer } from './fakes/fake-provider-server.js';
import { FaultyDb, type WriteFault } from './faulty-db.js';
import { ManualClock } from './manual-clock.js';
import { RecordingPublisher } from './recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from './test-app.js';

// A TCP hop between the app and a fake that can go away and come back on the same port. down()
// refuses new connections (ECONNREFUSED: certainly nothing sent) and cuts the open ones (a request
// in flight loses its answer); up() listens again. The fakes themselves cannot do either.
export class SwitchableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly targetUrl: string) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<string> {
    const target = new URL(this.targetUrl);
    const server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
      // A reset at the fake is a reset for the app too; any other end ends both sides.
      upstream.on('error', () => client.resetAndDestroy());
      client.on('error', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.baseUrl;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// Our own write of a refund's outcome (the request's or the reconciler's), not its reserve.
export const refundOutcomeWrite: WriteFault['matches'] = (command) => {
  const items = (command.input as { TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> } }> }).TransactItems;
  return command.constructor.name === 'TransactWriteCommand' && items?.[0]?.Put?.Item?.entity === 'refund';
};

export interface MoneyApp {
  t: TestApp;
  clock: ManualClock;
  faulty: FaultyDb;
  publisher: RecordingPublisher;
  http(): ReturnType<typeof request>;
  refund(intentId: string, body: object, key: string): request.Test;
  // GET /intents/:id: refundedAmount and ledger (derived from items), paidOutAmount, payouts.
  view(intentId: string): Promise<{ refundedAmount: number; paidOutAmount: number; ledger: Array<{ type: string; amount: number; id: string }>; payouts: Array<{ id: string; amount: number; status: string }> }>;
  // The intent item's guard attributes, read past the FaultyDb.
  stored(intentId: string): Promise<{ refundedAmount: number; paidOutAmount: number; committedAmount: number }>;
  refundsOf(intentId: string): Promise<Refund[]>;
  refundedEvents(refundId: string): Promise<number>;
  expireLease(): void;
  // The reconciler's sweep now, and once "not found" may be believed (more than 5 minutes on).
  sweepNow(): Promise<{ checked: number; settled: number }>;
  reconcile(): Promise<{ checked: number; settled: number }>;
  // Runs `then` once the fake has handled its next request (its effect done), before the app
  // reads the answer: e.g. arm a DynamoDB fault, or take the proxy down.
  afterNextCall<T>(fake: Pick<FakeProviderServer, 'requests' | 'waitForRequests'>, then: () => T): Promise<T>;
  close(): Promise<void>;
}

export async function startMoneyApp(env: Env, overrides: Partial<AppDependencies> = {}): Promise<MoneyApp> {
  const clock = new ManualClock(new Date());
  const publisher = new RecordingPublisher();
  let faulty: FaultyDb | undefined;
  const t = await startTestApp(env, { clock, publisher, ...overrides }, (db) => (faulty = new FaultyDb(db)).client);
  const refundStore = new DynamoRefundStore(t.table.db, t.table.tableName);
  const http = () => request(t.app.getHttpServer());
  const flush = () => (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
  return {
    t,
    clock,
    faulty: faulty as FaultyDb,
    publisher,
    http,
    refund: (intentId, body, key) => http().post(`/api/v1/intents/${intentId}/refund`).set('X-API-Key', KEYS.kaba).set('Idempotency-Key', key).send(body),
    view: async (intentId) => (await http().get(`/api/v1/intents/${intentId}`).set('X-API-Key', KEYS.kaba).expect(200)).body,
    stored: async (intentId) => {
      const { Item } = await t.table.db.send(new GetCommand({ TableName: t.table.tableName, Key: keys.intent(intentId), ConsistentRead: true }));
      return { refundedAmount: Number(Item?.refundedAmount), paidOutAmount: Number(Item?.paidOutAmount ?? 0), committedAmount: Number(Item?.committedAmount) };
    },
    refundsOf: async (intentId) => (await refundStore.listLedgerItems(intentId)).refunds,
    refundedEvents: async (refundId) => {
      await flush();
      return publisher.published.filter((e) => e.event.type === 'payment.refunded' && e.event.refundId === refundId).length;
    },
    expireLease: () => clock.advance(IDEMPOTENCY_LEASE_MS + 1000),
    sweepNow: async () => (await t.services()).reconcileRefunds.checkDue(),
    reconcile: async () => {
      clock.advance(checkDelay('refund', 0) + 1000);
      const result = await (await t.services()).reconcileRefunds.checkDue();
      await flush();
      return result;
    },
    afterNextCall: (fake, then) => fake.waitForRequests(fake.requests.length + 1).then(then),
    close: () => t.close(),
  };
}
