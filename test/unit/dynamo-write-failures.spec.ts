import { describe, expect, it } from '@jest/globals';
import { failedConditions, isConditionalCheckFailure, isTransientWriteFailure, retryTransient } from '../../src/storage/dynamo-client.js';

// What DynamoDB's TransactionCanceledException says depends on its CancellationReasons: only
// "every cancelled item failed its condition" means someone else won the race (issue 9, case 5).
const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });

describe('reading DynamoDB write failures', () => {
  it('a cancelled transaction is a lost race only when its cancelled items failed their conditions', () => {
    expect(isConditionalCheckFailure(cancelled('None', 'ConditionalCheckFailed'))).toBe(true);
    expect(isConditionalCheckFailure(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }))).toBe(true);
    expect(isConditionalCheckFailure(cancelled('ThrottlingError', 'None'))).toBe(false);
    expect(isConditionalCheckFailure(cancelled('TransactionConflict'))).toBe(false);
    expect(isConditionalCheckFailure(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isConditionalCheckFailure(cancelled())).toBe(false);
  });

  it('throttling, transaction conflicts, 5xx and lost connections are transient; conditions are not', () => {
    expect(isTransientWriteFailure(cancelled('None', 'ThrottlingError'))).toBe(true);
    expect(isTransientWriteFailure(cancelled('TransactionConflict'))).toBe(true);
    expect(isTransientWriteFailure(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isTransientWriteFailure(Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' }))).toBe(true);
    expect(isTransientWriteFailure(Object.assign(new Error('x'), { name: 'Whatever', $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransientWriteFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientWriteFailure(Object.assign(new Error('x'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });

  it('names which items lost', () => {
    expect([...failedConditions(cancelled('None', 'ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'))]).toEqual([1, 3]);
  });

  it('retryTransient retries transient failures a few times, never a lost race', async () => {
    let calls = 0;
    await expect(retryTransient(() => (++calls < 3 ? Promise.reject(cancelled('TransactionConflict')) : Promise.resolve('ok')), 4, 0)).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryTransient(() => (++calls, Promise.reject(cancelled('ConditionalCheckFailed'))), 4, 0)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryTransient(() => (++calls, Promise.reject(cancelled('ThrottlingError'))), 4, 0)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(calls).toBe(4);
  });
});
