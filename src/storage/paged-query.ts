import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { validationError } from '../domain/errors.js';

export type IndexKey = Record<string, unknown>;

// Every item of one partition whose sort key starts with `sk` (a few small items: one read,
// strongly consistent so what was just written is there).
export async function queryByPrefix(db: DynamoDBDocumentClient, tableName: string, { pk, sk }: { pk: string; sk: string }): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': sk },
      ConsistentRead: true,
    }),
  );
  return Items;
}

// A filtered page stops after this many index reads even if still short (the cursor goes on).
const MAX_QUERIES_PER_PAGE = 10;

// Up to `limit` items of one query from `startKey`. A filter is applied after the read, so a page
// may take several reads; each asks only for what the page still lacks, which keeps the cursor
// exact (no item skipped, none repeated). `resolve`, when given, turns each read's index entries
// into the page's items, in their order (it may drop some, never add any). `lastKey` is where the
// next page starts.
export async function queryPage(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: number,
  startKey: IndexKey | undefined,
  resolve?: (entries: Record<string, unknown>[]) => Promise<Record<string, unknown>[]>,
): Promise<{ items: Record<string, unknown>[]; lastKey: IndexKey | undefined }> {
  const items: Record<string, unknown>[] = [];
  let lastKey = startKey;
  for (let query = 0; query < MAX_QUERIES_PER_PAGE && items.length < limit; query++) {
    const { Items = [], LastEvaluatedKey } = await db.send(new QueryCommand({ ...input, Limit: limit - items.length, ExclusiveStartKey: lastKey }));
    items.push(...(resolve ? await resolve(Items) : Items));
    lastKey = LastEvaluatedKey;
    if (!lastKey) break;
  }
  return { items, lastKey };
}

// The cursor is the index position DynamoDB gave back, opaque to clients (base64url JSON).
export function encodeCursor(key: IndexKey | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

// A cursor is accepted only for the partition it was issued for (another app's or kind's
// position is refused) and only with string key attributes (`allowed` names them, when given).
export function decodeCursor(
  cursor: string | null,
  partition: { attribute: string; value: string; allowed?: readonly string[] },
  message = 'cursor is not valid: pass nextCursor from the previous page',
): IndexKey | undefined {
  if (cursor === null) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw validationError(message);
  }
  const valid =
    typeof key === 'object' && key !== null && !Array.isArray(key) &&
    (key as IndexKey)[partition.attribute] === partition.value &&
    (partition.allowed === undefined || Object.keys(key).every((name) => partition.allowed?.includes(name))) &&
    Object.values(key).every((value) => typeof value === 'string');
  if (!valid) throw validationError(message);
  return key as IndexKey;
}
