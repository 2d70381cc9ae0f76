import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load-config.js';
import { buildGatewayRegistry } from '../../src/gateways/build-gateways.js';
import { ReconcileIntentsService } from '../../src/services/reconcile-intents.service.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { lifecycleHarness } from '../support/lifecycle.js';

// MoMo sends its callback once and never retries: the reconciler must find the payment anyway.
describe('reconciler re-checks intents whose webhook never came (DynamoDB Local + MoMo fake)', () => {
  const fake = new FakeGatewayServer();
  let table: TestTable;
  let h: ReturnType<typeof lifecycleHarness>;
  let reconciler: ReconcileIntentsService;
  const momoStatus = new Map<string, string>();

  beforeAll(async () => {
    const base = await fake.start();
    fake.on('POST /collection/token/', { status: 200, body: { access_token: 't', expires_in: 3600 } });
    fake.on('GET /collection/v1_0/requesttopay/*', (req) => ({
      status: 200,
      body: { amount: '500000', currency: 'XOF', status: momoStatus.get(req.path.split('/').pop() ?? '') ?? 'PENDING' },
    }));
    table = await createTestTable();
    h = lifecycleHarness(table);
    const config = loadConfig({
      NODE_ENV: 'test',
      PAYMENTS_TABLE_NAME: table.tableName,
      PUBLIC_BASE_URL: 'http://payments.test',
      MOMO_BASE_URL: base,
      MOMO_COLLECTION_SUBSCRIPTION_KEY: 's',
      MOMO_COLLECTION_API_USER: 'u',
      MOMO_COLLECTION_API_KEY: 'k',
    });
    reconciler = new ReconcileIntentsService(h.intents, buildGatewayRegistry(config, h.clock), h.outcomes, h.clock);
  });
  afterAll(async () => {
    await table.drop();
    await fake.stop();
  });

  it('leaves fresh intents alone, settles stale ones from the gateway status, once', async () => {
    const paid = await h.newIntent({ gateway: 'momo', gatewayTransactionId: randomUUID(), createdAt: h.clock.now().toISOString(), updatedAt: h.clock.now().toISOString() });
    const waiting = await h.newIntent({ gateway: 'momo', gatewayTransactionId: randomUUID(), createdAt: h.clock.now().toISOString(), updatedAt: h.clock.now().toISOString() });
    momoStatus.set(paid.gatewayTransactionId!, 'SUCCESSFUL');

    expect(await reconciler.checkStale(600)).toEqual({ checked: 0, settled: 0 });
    h.clock.advance(11 * 60 * 1000);
    expect(await reconciler.checkStale(600)).toEqual({ checked: 2, settled: 1 });
    expect((await h.intents.get(paid.id))?.status).toBe('succeeded');
    expect((await h.intents.get(waiting.id))?.status).toBe('pending');
    expect((await h.outboxFor(paid.id)).map((e) => e.event.type)).toEqual(['payment.completed']);

    // Succeeded intents leave the open index; a second sweep changes nothing.
    expect(await reconciler.checkStale(600)).toEqual({ checked: 1, settled: 0 });
    expect(await h.outboxFor(paid.id)).toHaveLength(1);
  });
});
