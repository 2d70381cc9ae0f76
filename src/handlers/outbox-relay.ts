import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { forEachBounded } from '../events/bounded-concurrency.js';
import { RELAY_CONCURRENCY } from '../events/outbox-relay.js';
import { logger } from '../logging/logger.js';
import { unpublishedOutboxRecords } from '../storage/outbox-stream.js';
import { relayContext } from './relay-context.js';

// DynamoDB Stream → SNS. A record whose publish fails is reported back, so Lambda retries it
// (and, past its retries, sends it to the DLQ); the reconciler is the safety net behind that.
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { relay } = await relayContext();
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  // A bounded number at a time, so one slow publish does not hold up the batch.
  await forEachBounded(unpublishedOutboxRecords(event.Records), RELAY_CONCURRENCY, async ({ itemIdentifier, record }) => {
    try {
      await relay.relay(record);
    } catch (error) {
      logger.error('outbox relay publish failed', { eventId: record.event.event.eventId, error: String(error) });
      batchItemFailures.push({ itemIdentifier });
    }
  });
  return { batchItemFailures };
}
