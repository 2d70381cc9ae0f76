import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import { INDEXES, TTL_ATTRIBUTE, type IndexProjection } from './table-schema.js';

// Creates the table locally (DynamoDB Local); in AWS the CDK stack owns it. No stream unless asked:
// locally the relay runs in-process, and DynamoDB Local writes many times slower to a
// stream-enabled table once the instance holds stream records (ADR 0020).
export async function ensureTable(client: DynamoDBClient, tableName: string, options: { stream?: boolean } = {}): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(client, tableName, new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ATTRIBUTES,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_INDEXES.map(indexDefinition),
      ...(options.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const } } : {}),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
}

const TABLE_INDEXES = [INDEXES.byAppReference, INDEXES.openWork];
type TableIndex = (typeof TABLE_INDEXES)[number];
const ATTRIBUTES = ['pk', 'sk', ...TABLE_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey])].map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));

const indexDefinition = (index: TableIndex) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: projectionOf(index.projection),
});

// A table kept from an earlier version (DATA_DIR) gains the indexes it lacks, e.g. gsi2b (ADR
// 0023); DynamoDB Local backfills them from the items at once. An index it no longer needs stays.
async function addMissingIndexes(client: DynamoDBClient, tableName: string, present: Set<string | undefined>): Promise<void> {
  for (const index of TABLE_INDEXES.filter((candidate) => !present.has(candidate.name))) {
    await client.send(
      new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: ATTRIBUTES, GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }] }),
    );
  }
}

// The schema's projection as CreateTable takes it.
const projectionOf = (projection: IndexProjection): Projection => ({
  ProjectionType: projection.type,
  ...(projection.type === 'INCLUDE' ? { NonKeyAttributes: [...projection.attributes] } : {}),
});
