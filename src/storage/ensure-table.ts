import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
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
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { byAppReference: g2, openWork: g3 } = INDEXES;
  const attributes = ['pk', 'sk', g2.partitionKey, g2.sortKey, g3.partitionKey, g3.sortKey];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [g2, g3].map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: projectionOf(index.projection),
      })),
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

// The schema's projection as CreateTable takes it.
const projectionOf = (projection: IndexProjection): Projection => ({
  ProjectionType: projection.type,
  ...(projection.type === 'INCLUDE' ? { NonKeyAttributes: [...projection.attributes] } : {}),
});
