import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { OutboxRecord } from '../services/ports.js';
import { outboxRecordFromItem } from './outbox.repository.js';

export interface StreamedOutboxRecord {
  // The stream sequence number, reported back on failure so Lambda retries just that record.
  itemIdentifier: string;
  record: OutboxRecord;
}

// Picks the not-yet-published outbox items out of a table stream batch (the CDK filter does the
// same in AWS; this keeps the handler correct without it).
export function unpublishedOutboxRecords(records: readonly DynamoDBRecord[]): StreamedOutboxRecord[] {
  return records.flatMap((streamRecord) => {
    const image = streamRecord.dynamodb?.NewImage;
    if (!image || streamRecord.eventName === 'REMOVE') return [];
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (typeof item.pk !== 'string' || !item.pk.startsWith('EVENT#') || item.published !== false) return [];
    return [{ itemIdentifier: streamRecord.dynamodb?.SequenceNumber ?? '', record: outboxRecordFromItem(item) }];
  });
}
