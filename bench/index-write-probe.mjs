// node bench/index-write-probe.mjs (after `npm run build`) — what DynamoDB Local charges an index
// when an update leaves the index key alone. ADR 0022 rests on it: with a KEYS_ONLY or INCLUDE
// projection, an update that changes no projected attribute writes nothing to that index (as the
// DynamoDB guide documents, GSI.html#GSI.Writes); with ALL, every update rewrites the entry.
// Prints one JSON document of ConsumedCapacity per write; asserts nothing.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const { startDynamoLocal } = await import('../dist/local/dynamo-local.js');
const dynamo = await startDynamoLocal();
try {
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const db = DynamoDBDocumentClient.from(raw);
  const TableName = 'index-write-probe';
  const text = (name) => ({ AttributeName: name, AttributeType: 'S' });
  const index = (IndexName, key, Projection) => ({ IndexName, KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], Projection });
  await raw.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [text('pk'), text('keysOnlyKey'), text('includeKey'), text('allKey')],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        index('keysOnly', 'keysOnlyKey', { ProjectionType: 'KEYS_ONLY' }),
        index('includeStatus', 'includeKey', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['state'] }),
        index('all', 'allKey', { ProjectionType: 'ALL' }),
      ],
    }),
  );
  const charged = async (command) => (await db.send(command)).ConsumedCapacity;
  const update = (UpdateExpression, values, names) =>
    new UpdateCommand({ TableName, Key: { pk: 'p' }, UpdateExpression, ExpressionAttributeValues: values, ExpressionAttributeNames: names, ReturnConsumedCapacity: 'INDEXES' });
  const figures = {
    put: await charged(new PutCommand({ TableName, Item: { pk: 'p', keysOnlyKey: 'k', includeKey: 'i', allKey: 'a', state: 'open', note: 1 }, ReturnConsumedCapacity: 'INDEXES' })),
    'update an attribute no index projects but ALL': await charged(update('SET note = :n', { ':n': 2 })),
    'update the INCLUDEd attribute': await charged(update('SET #s = :s', { ':s': 'paid' }, { '#s': 'state' })),
    'remove the INCLUDE index key': await charged(update('REMOVE includeKey')),
  };
  process.stdout.write(`${JSON.stringify(figures, null, 1)}\n`);
} finally {
  dynamo.stop();
}
