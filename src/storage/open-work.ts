import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure } from './dynamo-client.js';
import { INDEXES, OPEN_WORK } from './table-schema.js';

// The sparse index gsi3 holds only open work: unpublished events (sort key: created at) and the
// reconciler's work queue of intents, refunds and payouts whose outcome is open (sort key: when
// to look next, so an item that cannot be resolved moves out of the way of newer ones).

// Unpublished events, oldest first; `before` keeps only those whose sort key is older.
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

export type WorkKind = 'intent' | 'refund' | 'disbursement' | 'delivery';

export interface DuePage {
  items: Record<string, unknown>[];
  // Opaque: where the next page starts; null when there is none.
  cursor: string | null;
}

export interface DueFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

// One page of the work queue: items due by `dueBy`, the most overdue first.
export async function queryDue(
  db: DynamoDBDocumentClient,
  tableName: string,
  kind: WorkKind,
  // `filter`: applied after the read, so a page may come back short (the cursor goes on).
  options: { dueBy: string; limit: number; cursor?: string | null; filter?: DueFilter },
): Promise<DuePage> {
  const { Items = [], LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: INDEXES.openWork.name,
      KeyConditionExpression: 'gsi3pk = :kind AND gsi3sk <= :due',
      ExpressionAttributeValues: { ':kind': OPEN_WORK[kind], ':due': options.dueBy, ...options.filter?.values },
      ...(options.filter ? { FilterExpression: options.filter.expression, ExpressionAttributeNames: options.filter.names } : {}),
      Limit: options.limit,
      ...(options.cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as Record<string, unknown> } : {}),
    }),
  );
  return { items: Items, cursor: LastEvaluatedKey ? Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') : null };
}

// After a check that resolved nothing: count it and move the item's next check. Conditioned on the
// item being unchanged since it was read (its version or updatedAt), so a real change that landed
// meanwhile — which sets its own next check — is never overwritten. false: it changed.
export async function reschedule(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  unchanged: { attribute: 'version' | 'updatedAt'; value: number | string },
  checks: number,
  nextCheckAt: string,
): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET checks = :checks, gsi3sk = :next',
        ConditionExpression: 'attribute_exists(gsi3pk) AND #unchanged = :value',
        ExpressionAttributeNames: { '#unchanged': unchanged.attribute },
        ExpressionAttributeValues: { ':checks': checks, ':next': nextCheckAt, ':value': unchanged.value },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}

// The number of checks already made on an item of the queue (0 for a fresh one).
export const checksOf = (item: Record<string, unknown>): number => (typeof item.checks === 'number' ? item.checks : 0);
