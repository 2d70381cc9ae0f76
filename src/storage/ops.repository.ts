import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { OpenWorkKind } from '../domain/open-work-kind.js';
import type { OpenWorkRecord, OpsStore, Page, ReviewRecord, ReviewResolution } from '../services/ops.service.js';
import type { ReviewReason } from '../services/ports.js';
import { batchGet, isConditionalCheckFailure, retryTransient } from './dynamo-client.js';
import { decodeCursor as decodePosition, encodeCursor, queryPage, type IndexKey } from './paged-query.js';
import { epochSeconds, INDEXES, keys, OPEN_WORK, RETENTION_SECONDS, TTL_ATTRIBUTE } from './table-schema.js';

type Key = IndexKey;

// The operations view's reads of the sparse index. It relies only on gsi3pk (which kind of open
// item) and on the items' own attributes: what gsi3sk orders by belongs to the work queue.
export class DynamoOpsStore implements OpsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listOpenReviews(cursor: string | null, limit: number): Promise<Page<ReviewRecord>> {
    const partition = OPEN_WORK.review;
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({ ...this.partitionQuery(partition), Limit: limit, ExclusiveStartKey: decodeCursor(cursor, partition) }),
    );
    return { items: Items.map(fromReviewItem), nextCursor: encodeCursor(LastEvaluatedKey) };
  }

  // Once: only an existing, unresolved item. It leaves the index and expires 90 days later.
  async resolveReview(gateway: string, eventId: string, resolution: ReviewResolution): Promise<ReviewRecord | 'not_found' | 'already_resolved'> {
    const resolvedAt = new Date(resolution.resolvedAt);
    try {
      const { Attributes } = await retryTransient(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.review(gateway, eventId),
            UpdateExpression: 'SET resolvedAt = :at, resolvedBy = :by, resolution = :resolution, #ttl = :ttl REMOVE gsi3pk, gsi3sk',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(resolvedAt)',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':at': resolution.resolvedAt,
              ':by': resolution.resolvedBy,
              ':resolution': resolution.resolution,
              ':ttl': epochSeconds(resolvedAt) + RETENTION_SECONDS.review,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return fromReviewItem(Attributes ?? {});
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.review(gateway, eventId), ConsistentRead: true }));
      return Item ? 'already_resolved' : 'not_found';
    }
  }

  // Open items of one kind last changed before `updatedBefore`. Filtering happens after the read,
  // so one page may need several reads; each asks only for what the page still lacks, which keeps
  // the cursor exact (no item skipped, none repeated).
  async listOpenWork(kind: OpenWorkKind, updatedBefore: string, cursor: string | null, limit: number): Promise<Page<OpenWorkRecord>> {
    const partition = OPEN_WORK[kind];
    const { items, lastKey } = await queryPage(this.db, this.olderThanQuery(partition, updatedBefore), limit, decodeCursor(cursor, partition));
    const records = items.map((item) => fromOpenWorkItem(kind, item));
    return { items: kind === 'refund' ? await this.withRefundAppIds(records) : records, nextCursor: encodeCursor(lastKey) };
  }

  async countOpenReviews(): Promise<number> {
    return this.count(this.partitionQuery(OPEN_WORK.review));
  }

  // Open items of one kind last changed before `updatedBefore`, as the metric needs them: only the
  // attributes that say whether the outcome is unknown (the last attempt is not filterable).
  async *openWorkOutcomes(kind: OpenWorkKind, updatedBefore: string): AsyncGenerator<OpenWorkRecord> {
    let startKey: Key | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({ ...this.olderThanQuery(OPEN_WORK[kind], updatedBefore), ExclusiveStartKey: startKey }),
      );
      for (const item of Items) yield fromOpenWorkItem(kind, item);
      startKey = LastEvaluatedKey;
    } while (startKey);
  }

  private async count(input: QueryCommandInput): Promise<number> {
    let total = 0;
    let startKey: Key | undefined;
    do {
      const { Count = 0, LastEvaluatedKey } = await this.db.send(new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: startKey }));
      total += Count;
      startKey = LastEvaluatedKey;
    } while (startKey);
    return total;
  }

  private partitionQuery(partition: string): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: INDEXES.openWork.name,
      KeyConditionExpression: 'gsi3pk = :kind',
      ExpressionAttributeValues: { ':kind': partition },
    };
  }

  private olderThanQuery(partition: string, updatedBefore: string): QueryCommandInput {
    return {
      ...this.partitionQuery(partition),
      FilterExpression: 'updatedAt < :before',
      ExpressionAttributeValues: { ':kind': partition, ':before': updatedBefore },
    };
  }

  // Refund items do not carry the app: it is read from their intents (one batch per page).
  private async withRefundAppIds(records: OpenWorkRecord[]): Promise<OpenWorkRecord[]> {
    const intentIds = [...new Set(records.map((r) => r.intentId).filter((id): id is string => id !== null))];
    const appIds = new Map<string, string>();
    for (let start = 0; start < intentIds.length; start += 100) {
      const intents = await batchGet(this.db, this.tableName, intentIds.slice(start, start + 100).map((id) => keys.intent(id)), { projection: 'id, appId' });
      for (const item of intents) appIds.set(String(item.id), String(item.appId));
    }
    return records.map((r) => ({ ...r, appId: r.intentId ? (appIds.get(r.intentId) ?? null) : null }));
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function fromReviewItem(item: Record<string, unknown>): ReviewRecord {
  return {
    gateway: String(item.gateway),
    eventId: String(item.eventId),
    reason: item.reason as ReviewReason,
    detail: parseDetail(item.detail),
    createdAt: String(item.createdAt),
    resolvedAt: str(item.resolvedAt),
    resolvedBy: str(item.resolvedBy),
    resolution: str(item.resolution),
  };
}

function parseDetail(detail: unknown): unknown {
  if (typeof detail !== 'string') return detail ?? null;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}

function fromOpenWorkItem(kind: OpenWorkKind, item: Record<string, unknown>): OpenWorkRecord {
  const attempts = Array.isArray(item.attempts) ? (item.attempts as { outcome?: unknown }[]) : [];
  return {
    kind,
    id: String(item.id),
    appId: str(item.appId),
    intentId: kind === 'intent' ? String(item.id) : str(item.intentId),
    status: String(item.status),
    gateway: str(kind === 'disbursement' ? item.provider : item.gateway),
    reference: str(kind === 'intent' ? item.gatewayTransactionId : kind === 'refund' ? item.gatewayRefundId : item.providerReference),
    lastAttemptOutcome: str(attempts.at(-1)?.outcome),
    gatewayOutcome: str(item.gatewayOutcome),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

// A cursor of the sparse index, for one kind of open item only.
const decodeCursor = (cursor: string | null, partition: string): Key | undefined => decodePosition(cursor, { attribute: 'gsi3pk', value: partition });
