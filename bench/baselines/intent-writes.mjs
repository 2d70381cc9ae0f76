// The DynamoDB work both baselines do per create, the same as the app's: the intent recorded
// before the (here absent) gateway call, then its outcome — two writes, the money-safety rule of
// ADR 0010 — with the same keys and index attributes, so a ratio measures only what lies around it.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

export function documentClient() {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient({
    region: process.env.AWS_REGION ?? 'ca-central-1',
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export async function recordIntent(db, tableName, body) {
  const id = randomUUID();
  const now = new Date().toISOString();
  const metadata = body.metadata ?? {};
  const intent = {
    id, appId: metadata.appId, referenceId: metadata.referenceId, amount: body.amount, currency: body.currency, country: body.country,
    status: 'pending', gateway: 'mock', gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'redirect',
    metadata, returnUrl: body.returnUrl ?? null, refundedAmount: 0, paidOutAmount: 0,
    attempts: [{ gateway: 'mock', outcome: 'started', errorKind: null, at: now }], version: 1, createdAt: now, updatedAt: now,
  };
  await db.send(new PutCommand({
    TableName: tableName,
    Item: { pk: `INTENT#${id}`, sk: 'INTENT', entity: 'intent', ...intent, committedAmount: 0, gsi2pk: `${intent.appId}#${intent.referenceId}`, gsi2sk: now, gsi3pk: 'OPEN_INTENT', gsi3sk: now },
    ConditionExpression: 'attribute_not_exists(pk)',
  }));
  const paid = { ...intent, gatewayTransactionId: `mock_${id}`, paymentUrl: `http://localhost/mock/pay/${id}`, version: 2, attempts: [{ ...intent.attempts[0], outcome: 'created' }] };
  await db.send(new UpdateCommand({
    TableName: tableName,
    Key: { pk: `INTENT#${id}`, sk: 'INTENT' },
    UpdateExpression: 'SET gatewayTransactionId = :tx, paymentUrl = :url, attempts = :attempts, #version = :next, updatedAt = :now',
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':tx': paid.gatewayTransactionId, ':url': paid.paymentUrl, ':attempts': paid.attempts, ':next': 2, ':expected': 1, ':now': now },
  }));
  return paid;
}
