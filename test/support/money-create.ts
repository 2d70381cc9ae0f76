import { createServer, type AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { PaymentEventType } from '../../src/domain/payment-event.js';
import type { PaymentIntent } from '../../src/domain/intent.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import type { Env } from '../../src/config/load-config.js';
import { fromIntentItem } from '../../src/storage/intent.repository.js';
import { IDEMPOTENCY_LEASE_MS } from '../../src/storage/idempotency.repository.js';
import { FaultyDb, isWrite } from './faulty-db.js';
import { ManualClock } from './manual-clock.js';
import { RecordingPublisher } from './recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from './test-app.js';

// Shared by test/integration/money-create-*.spec.ts: the real app on a FaultyDb, a ManualClock,
// recorded events, and listening on a real port so a fake's callback (MoMo) can reach it.
export interface MoneyCreateApp {
  t: TestApp;
  faulty: FaultyDb;
  clock: ManualClock;
  create(body: object, key: string): request.Test;
  get(id: string): Promise<PaymentIntent>;
  // Event types recorded for one intent, after every pending dispatch has settled.
  events(intentId: string): Promise<PaymentEventType[]>;
  // Client retries: within the lease the claim is still held; past it the resource is resumed.
  passLease(): void;
  reconcile(): Promise<{ checked: number; settled: number }>;
  // The intents stored for an app's reference (a 502 answer carries no intent id).
  byReference(referenceId: string): Promise<PaymentIntent[]>;
  close(): Promise<void>;
}

export async function startMoneyCreateApp(env: Env): Promise<MoneyCreateApp> {
  const port = await freePort();
  const clock = new ManualClock(new Date('2026-12-02T10:00:00Z'));
  const publisher = new RecordingPublisher();
  let faulty!: FaultyDb;
  const t = await startTestApp({ PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env }, { clock, publisher }, (db) => {
    faulty = new FaultyDb(db);
    return faulty.client;
  });
  await t.app.listen(port, '127.0.0.1');
  const http = () => request(t.app.getHttpServer());
  const dispatcher = t.deps.dispatcher as ImmediateOutboxDispatcher;
  return {
    t,
    faulty,
    clock,
    create: (body, key) => http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).set('Idempotency-Key', key).send(body),
    get: async (id) => {
      const response = await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba);
      if (response.status !== 200) throw new Error(`GET intent ${id}: ${response.status}`);
      return response.body as PaymentIntent;
    },
    events: async (intentId) => {
      await dispatcher.idle();
      return publisher.published.filter((e) => e.event.intentId === intentId).map((e) => e.event.type);
    },
    passLease: () => clock.advance(IDEMPOTENCY_LEASE_MS + 1_000),
    // Like the scheduled reconciler, two minutes on: the intents whose next check is due.
    reconcile: async () => {
      clock.advance(2 * 60_000);
      const result = await (await t.services()).reconcileIntents.checkDue();
      await dispatcher.idle();
      return result;
    },
    byReference: async (referenceId) => {
      const { Items = [] } = await t.table.db.send(
        new ScanCommand({ TableName: t.table.tableName, FilterExpression: 'entity = :e AND referenceId = :r', ExpressionAttributeValues: { ':e': 'intent', ':r': referenceId } }),
      );
      return Items.map(fromIntentItem);
    },
    close: () => t.close(),
  };
}

// Every write fails once `acted()` says the gateway did its part: the record written before the
// call goes through, whatever follows it is lost.
export const writesAfter = (acted: () => boolean) => (command: Parameters<typeof isWrite>[0]) => isWrite(command) && acted();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
