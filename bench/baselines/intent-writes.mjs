// The DynamoDB work both baselines do per create, request for request the app's (ADR 0020): the
// intent recorded before the (here absent) gateway call, the gateway transaction's lookup claimed,
// then the outcome — the money-safety rule of ADR 0010 — with the same keys, conditions and index
// attributes, so a ratio measures only what lies around the writes.
// BENCH_STUB_IO=1: every call answers at once without I/O (the bench's "I/O stubbed" run).
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

export const STUB_DB = { send: async () => ({}), destroy() {} };

export function documentClient() {
  if (process.env.BENCH_STUB_IO) return STUB_DB;
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
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }));
  await db.send(new PutCommand({
    TableName: tableName,
    Item: { pk: `GWTX#mock#mock_${id}`, sk: 'GWTX', intentId: id },
    ConditionExpression: 'attribute_not_exists(pk) OR intentId = :intentId',
    ExpressionAttributeValues: { ':intentId': id },
  }));
  const paid = { ...intent, gatewayTransactionId: `mock_${id}`, paymentUrl: `http://localhost/mock/pay/${id}`, version: 2, attempts: [{ ...intent.attempts[0], outcome: 'created' }], updatedAt: new Date().toISOString() };
  // The same fields the app's outcome sets, its next-check time (the work queue's sort key) kept if set.
  const fields = { status: paid.status, gateway: paid.gateway, gatewayTransactionId: paid.gatewayTransactionId, paymentUrl: paid.paymentUrl, paymentMode: paid.paymentMode, attempts: paid.attempts, version: 2, updatedAt: paid.updatedAt, gsi3pk: 'OPEN_INTENT', gsi3sk: new Date(Date.now() + 120_000).toISOString() };
  const set = (name) => (name === 'gsi3sk' ? `#${name} = if_not_exists(#${name}, :${name})` : `#${name} = :${name}`);
  await db.send(new UpdateCommand({
    TableName: tableName,
    Key: { pk: `INTENT#${id}`, sk: 'INTENT' },
    UpdateExpression: `SET ${Object.keys(fields).map(set).join(', ')} REMOVE #clientSecret`,
    ConditionExpression: '#expected = :expected',
    ExpressionAttributeNames: { ...Object.fromEntries(Object.keys(fields).map((name) => [`#${name}`, name])), '#clientSecret': 'clientSecret', '#expected': 'version' },
    ExpressionAttributeValues: { ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])), ':expected': 1 },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }));
  return paid;
}
