// Baseline: a plain Lambda handler doing the app's DynamoDB writes for POST /api/v1/intents, with
// the same SDK clients, bundled with the same esbuild settings (scripts/lambda-esbuild.mjs).
import { documentClient, recordIntent } from './intent-writes.mjs';

const db = documentClient();

export const handler = async (event) => {
  const intent = await recordIntent(db, process.env.PAYMENTS_TABLE_NAME, JSON.parse(event.body ?? '{}'));
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(intent) };
};
