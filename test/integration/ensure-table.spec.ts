import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../src/storage/dynamo-client.js';
import { ensureTable } from '../../src/storage/ensure-table.js';
import { INDEXES } from '../../src/storage/table-schema.js';
import { testEndpoint } from '../support/dynamo.js';

// A developer's table kept with DATA_DIR from before ADR 0023 (gsi2 projecting ALL, no gsi2b)
// gains the new index on the next start, filled from the items already there.
describe('ensureTable on a table from an earlier version (DynamoDB Local)', () => {
  const db = createDocumentClient({ region: 'ca-central-1', endpoint: testEndpoint() });
  const tableName = `old-${randomUUID()}`;
  afterAll(async () => {
    await db.send(new DeleteTableCommand({ TableName: tableName }));
    db.destroy();
  });

  it('adds the missing gsi2b, backfilled, and keeps what it finds', async () => {
    const key = (name: string, type: 'HASH' | 'RANGE') => ({ AttributeName: name, KeyType: type });
    await db.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [key('pk', 'HASH'), key('sk', 'RANGE')],
        GlobalSecondaryIndexes: [
          { IndexName: 'gsi2', KeySchema: [key('gsi2pk', 'HASH'), key('gsi2sk', 'RANGE')], Projection: { ProjectionType: 'ALL' } },
          { IndexName: 'gsi3', KeySchema: [key('gsi3pk', 'HASH'), key('gsi3sk', 'RANGE')], Projection: { ProjectionType: 'ALL' } },
        ],
      }),
    );
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: 'INTENT#i-1', sk: 'INTENT', entity: 'intent', id: 'i-1', status: 'pending', gsi2pk: 'kaba#ref-1', gsi2sk: '2026-12-03T00:00:00.000Z' } }));

    await ensureTable(db, tableName);
    await ensureTable(db, tableName); // a second start changes nothing

    const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Object.fromEntries((Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.Projection?.ProjectionType]));
    expect(indexes).toEqual({ gsi2: 'ALL', gsi3: 'ALL', [INDEXES.byAppReference.name]: 'INCLUDE' });
    const { Items } = await db.send(
      new QueryCommand({ TableName: tableName, IndexName: INDEXES.byAppReference.name, KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': 'kaba#ref-1' } }),
    );
    expect(Items).toEqual([{ pk: 'INTENT#i-1', sk: 'INTENT', entity: 'intent', id: 'i-1', gsi2pk: 'kaba#ref-1', gsi2sk: '2026-12-03T00:00:00.000Z' }]);
  });
});
