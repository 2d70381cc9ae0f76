import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp, defaultDependencies } from '../../src/app.factory.js';
import type { AppDependencies } from '../../src/app.dependencies.js';
import { APP_SERVICES, type LoadServices } from '../../src/app.services-on-first-use.js';
import type { AppServices } from '../../src/app.services.js';
import type { AddressResolver } from '../../src/events/webhook-http-sender.js';
import { loadConfig, type Env } from '../../src/config/load-config.js';
import { createTestTable, type TestTable } from './dynamo.js';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const KEYS = { events: 'events-secret-key', kaba: 'kaba-secret-key', ops: 'ops-secret-key' } as const;
export const KEY_HASHES = `events:${sha256(KEYS.events)},kaba:${sha256(KEYS.kaba)},${sha256(KEYS.ops)}`;

export interface TestApp {
  app: NestExpressApplication;
  deps: AppDependencies;
  table: TestTable;
  // The app's own use-case instances (the ones its routes call), built on first use.
  services(): Promise<AppServices>;
  close(): Promise<void>;
}

// The real application on a fresh DynamoDB Local table; env and dependencies can be overridden.
export async function startTestApp(
  env: Env = {},
  overrides: Partial<AppDependencies> & { webhookResolver?: AddressResolver } = {},
  // e.g. a FaultyDb around the real client, to fail our own writes on purpose.
  wrapDb: (db: DynamoDBDocumentClient) => DynamoDBDocumentClient = (db) => db,
): Promise<TestApp> {
  const table = await createTestTable();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    TKH_API_KEY_HASH: KEY_HASHES,
    PUBLIC_BASE_URL: 'http://payments.test',
    PAYMENTS_TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    ...env,
  });
  const deps = defaultDependencies(config, { db: wrapDb(table.db), ...overrides });
  const app = await createApp(deps);
  return {
    app,
    deps,
    table,
    services: () => app.get<LoadServices>(APP_SERVICES)(),
    close: async () => {
      await app.close();
      await table.drop();
    },
  };
}

// Seed 001's request example, pinned to the mock gateway.
export const seedIntentRequest = () => ({
  amount: 500000,
  currency: 'XOF',
  country: 'BJ',
  metadata: {
    appId: 'events',
    referenceId: 'booking-abc123',
    customerId: 'cust-xyz',
    customerEmail: 'user@example.com',
    phoneNumber: '+22961000000',
  },
  returnUrl: 'https://yourapp.com/payment/return',
  gatewayOverride: 'mock',
});
