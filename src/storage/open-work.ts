import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { INDEXES, OPEN_WORK } from './table-schema.js';

// Reads one kind of open work (unresolved intents, unpublished events, pending payouts) from the
// sparse index, oldest first; `before` keeps only items whose sort key is older.
export async function queryOpenWork(
  db: DynamoDBDocumentClient,
  tableName: string,
  kind: keyof typeof OPEN_WORK,
  options: { before?: string; limit: number },
): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: INDEXES.openWork.name,
      KeyConditionExpression: options.before === undefined ? 'gsi3pk = :kind' : 'gsi3pk = :kind AND gsi3sk < :before',
      ExpressionAttributeValues: { ':kind': OPEN_WORK[kind], ...(options.before === undefined ? {} : { ':before': options.before }) },
      Limit: options.limit,
    }),
  );
  return Items;
}
