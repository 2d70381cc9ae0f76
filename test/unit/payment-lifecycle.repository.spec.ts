import { describe, expect, it } from '@jest/globals';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransitionCommit } from '../../src/services/ports.js';
import { DynamoPaymentLifecycleStore } from '../../src/storage/payment-lifecycle.repository.js';
import { sampleIntent } from '../support/intents.js';

type Sent = { input: { ClientRequestToken?: string; TransactItems?: unknown[] } };

// A client that answers each send with the next scripted outcome (an error to throw, an answer, or success).
function scriptedClient(script: Array<Error | 'ok' | Record<string, unknown>>) {
  const sent: Sent[] = [];
  const db = {
    send: (command: Sent) => {
      sent.push(command);
      const next = script.shift() ?? 'ok';
      if (next instanceof Error) return Promise.reject(next);
      return Promise.resolve(next === 'ok' ? {} : next);
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
}

// Items of a commit with a binding: 0 intent (with its payment, event and receipt), 1 binding.
const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });

const commit = (): TransitionCommit => {
  const intent = sampleIntent({ gateway: 'kkiapay', gatewayTransactionId: null });
  const now = '2026-03-08T12:00:00.000Z';
  return {
    intent,
    to: 'succeeded',
    now,
    receipt: { gateway: 'kkiapay', eventId: 'transaction.success:tx-1' },
    payment: { id: 'pay-1', intentId: intent.id, amount: intent.amount, currency: intent.currency, gateway: 'kkiapay', gatewayTransactionId: 'tx-1', createdAt: now },
    outbox: null,
    bindTransaction: { gateway: 'kkiapay', transactionId: 'tx-1' },
  };
};

describe('DynamoPaymentLifecycleStore.commitTransition: what a cancelled transaction means', () => {
  // What the intent holds when its condition failed (read back to tell a duplicate from a change).
  const receiptOnIntent = { Item: { receipts: new Set(['transaction.success:tx-1']) } };
  it.each([
    ['the intent\'s condition failed and this event\'s receipt is on it: this event already changed it', 'duplicate', ['ConditionalCheckFailed', 'None'], [receiptOnIntent]],
    ['the binding\'s condition failed: the transaction belongs to another intent', 'transaction_taken', ['None', 'ConditionalCheckFailed'], []],
    ['only the intent\'s condition failed, without the receipt: it changed since it was read', 'stale', ['ConditionalCheckFailed', 'None'], [{}, {}]],
    ['the intent changed while another item conflicted: still decided by the condition', 'stale', ['ConditionalCheckFailed', 'TransactionConflict'], [{}, {}]],
  ] as const)('%s → %s', async (_label, expected, codes, reads) => {
    const { db } = scriptedClient([cancelled(...codes), ...reads]);
    expect(await new DynamoPaymentLifecycleStore(db, 't').commitTransition(commit())).toBe(expected);
  });

  it('retries a transaction cancelled for a conflict or throttling (not a lost race) with the same ClientRequestToken', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const { db, sent } = scriptedClient([cancelled('TransactionConflict', 'None'), throttled, 'ok']);
    expect(await new DynamoPaymentLifecycleStore(db, 't').commitTransition(commit())).toBe('committed');
    expect(sent).toHaveLength(3);
    const tokens = new Set(sent.map((command) => command.input.ClientRequestToken));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a transient failure that outlasts the retries is thrown, never read as "stale"', async () => {
    const conflict = () => cancelled('TransactionConflict', 'None');
    const { db, sent } = scriptedClient([conflict(), conflict(), conflict(), conflict()]);
    await expect(new DynamoPaymentLifecycleStore(db, 't').commitTransition(commit())).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(sent).toHaveLength(4);
  });
});
