import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type { DynamoDBDocumentClient };

export interface DynamoSettings {
  region: string;
  endpoint: string | null;
}

export function createDocumentClient(settings: DynamoSettings): DynamoDBDocumentClient {
  const local = settings.endpoint !== null;
  const client = new DynamoDBClient({
    region: settings.region,
    ...(local
      ? { endpoint: settings.endpoint ?? undefined, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export const isConditionalCheckFailure = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'ConditionalCheckFailedException' || error.name === 'TransactionCanceledException');
