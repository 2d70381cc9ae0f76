import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { INDEXES, TTL_ATTRIBUTE } from './table-schema.js';

// Creates the table locally (DynamoDB Local); in AWS the CDK stack owns it.
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { byGatewayTransaction: g1, byAppReference: g2, openWork: g3 } = INDEXES;
  const attributes = ['pk', 'sk', g1.partitionKey, g2.partitionKey, g2.sortKey, g3.partitionKey, g3.sortKey];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: g1.name, KeySchema: [{ AttributeName: g1.partitionKey, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        {
          IndexName: g2.name,
          KeySchema: [
            { AttributeName: g2.partitionKey, KeyType: 'HASH' },
            { AttributeName: g2.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: g3.name,
          KeySchema: [
            { AttributeName: g3.partitionKey, KeyType: 'HASH' },
            { AttributeName: g3.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
}
