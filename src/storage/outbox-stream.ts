import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { OutboxRecord } from '../services/ports.js';
import { heldEventRecords } from './held-events.js';
import { HELD_EVENTS } from './table-schema.js';
import { outboxRecordFromItem } from './outbox.repository.js';

export interface StreamedOutboxRecord {
  // The stream sequence number, reported back on failure so Lambda retries just that record.
  itemIdentifier: string;
  record: OutboxRecord;
}

// Picks the not-yet-published events (outbox items, and events held by an intent) out of a table
// stream batch (the CDK filters do the same in AWS; this keeps the handler correct without them).
export function unpublishedOutboxRecords(records: readonly DynamoDBRecord[]): StreamedOutboxRecord[] {
  return records.flatMap((streamRecord) => {
    const image = streamRecord.dynamodb?.NewImage;
    if (!image || streamRecord.eventName === 'REMOVE') return [];
    const item = unmarshall(image as Record<string, AttributeValue>);
    const itemIdentifier = streamRecord.dynamodb?.SequenceNumber ?? '';
    if (typeof item.pk !== 'string') return [];
    // An intent image that still holds events (ADR 0022); a later write of the same intent before
    // the release carries them again: published twice, which subscribers dedupe by eventId.
    if (item.pk.startsWith('INTENT#') && item[HELD_EVENTS.flag] === true) return heldEventRecords(item).map((record) => ({ itemIdentifier, record }));
    if (!item.pk.startsWith('EVENT#') || item.published !== false) return [];
    return [{ itemIdentifier, record: outboxRecordFromItem(item) }];
  });
}
