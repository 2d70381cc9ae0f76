import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../src/storage/dynamo-client.js';
import { ensureTable } from '../../src/storage/ensure-table.js';

export interface TestTable {
  db: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  drop(): Promise<void>;
}

export function testEndpoint(): string {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run through jest (global setup)');
  return endpoint;
}

// A fresh table per test file, so files can run in parallel against one DynamoDB Local.
export async function createTestTable(): Promise<TestTable> {
  const endpoint = testEndpoint();
  const db = createDocumentClient({ region: 'ca-central-1', endpoint });
  const tableName = `test-${randomUUID()}`;
  await ensureTable(db, tableName);
  return {
    db,
    tableName,
    endpoint,
    drop: async () => {
      await db.send(new DeleteTableCommand({ TableName: tableName }));
      db.destroy();
    },
  };
}
