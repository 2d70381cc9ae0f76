import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

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

type Reason = { Code?: string };
const reasonsOf = (error: unknown): Reason[] => (error as { CancellationReasons?: Reason[] }).CancellationReasons ?? [];

// "Someone else won": a plain conditional failure, or a cancelled transaction whose every cancelled
// item failed its condition. A transaction cancelled for throttling, a conflicting transaction or
// a capacity limit is NOT a lost race: nothing was decided, and it must be retried or surfaced.
export function isConditionalCheckFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const codes = reasonsOf(error).map((reason) => reason.Code ?? 'None').filter((code) => code !== 'None');
  return codes.length > 0 && codes.every((code) => code === 'ConditionalCheckFailed');
}

// Which items of a cancelled transaction failed their condition (by position).
export function failedConditions(error: unknown): Set<number> {
  const failed = new Set<number>();
  reasonsOf(error).forEach((reason, index) => {
    if (reason.Code === 'ConditionalCheckFailed') failed.add(index);
  });
  return failed;
}

const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
]);
const TRANSIENT_REASONS = new Set(['ThrottlingError', 'TransactionConflict', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

// Worth retrying the same write: throttling, a conflicting transaction, a 5xx or a lost connection.
export function isTransientWriteFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  if (error.name === 'TransactionCanceledException') {
    const codes = reasonsOf(error).map((reason) => reason.Code ?? 'None');
    return codes.some((code) => TRANSIENT_REASONS.has(code)) && !codes.includes('ConditionalCheckFailed');
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  const code = (error as { code?: string }).code;
  return code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'EPIPE';
}

// For a write that must follow money moved: retried a few times on transient failures (with a
// short back-off), so a throttled or conflicting moment does not leave the record behind.
export async function retryTransient<T>(write: () => Promise<T>, attempts = 4, baseDelayMs = 25): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isTransientWriteFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

// A plain conditional write retried after its answer was lost fails its own condition: the item
// that failure returns (ReturnValuesOnConditionCheckFailure: ALL_OLD) then holds exactly what we
// wrote. `expected`: the attributes written (undefined = removed).
export function holdsOurWrite(error: unknown, expected: Record<string, unknown>): boolean {
  const found = conditionFailureItem(error);
  return found !== undefined && Object.entries(expected).every(([name, value]) => isDeepStrictEqual(found[name], value));
}

// The item a failed conditional write returned (ReturnValuesOnConditionCheckFailure: ALL_OLD).
export function conditionFailureItem(error: unknown): Record<string, unknown> | undefined {
  const raw = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
  return raw ? (unmarshall(raw, { wrapNumbers: false }) as Record<string, unknown>) : undefined;
}

export interface BatchGetOptions {
  // Only these attributes (a ProjectionExpression of plain names); default: whole items.
  projection?: string;
  attempts?: number;
  baseDelayMs?: number;
}

// The items at up to 100 keys, strongly consistent, in no particular order (absent ones left out).
// Keys DynamoDB leaves unprocessed (throttling) are asked again after a short back-off; still
// unprocessed after that, it throws rather than answer with fewer items.
export async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: Array<Record<string, unknown>>,
  { projection, attempts = 4, baseDelayMs = 25 }: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending = keys;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > attempts) throw new Error(`BatchGet left ${pending.length} keys unprocessed after ${attempts} attempts`);
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 2)));
    const request = { Keys: pending, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) };
    const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: request } }));
    items.push(...(Responses?.[tableName] ?? []));
    pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

// The one way our money writes reach DynamoDB: one TransactWriteItems, retried on transient
// failures under one ClientRequestToken, so a retry after a commit whose answer was lost returns
// that commit's success instead of failing its own (already applied) conditions.
export async function transactWrite(db: DynamoDBDocumentClient, items: TransactItems): Promise<void> {
  const token = randomUUID();
  await retryTransient(() => db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token })));
}

// The same, for a write guarded by conditions: false when a condition failed (someone else won).
export async function transactWriteIfUnchanged(db: DynamoDBDocumentClient, items: TransactItems): Promise<boolean> {
  try {
    await transactWrite(db, items);
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}
