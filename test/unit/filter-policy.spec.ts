import { describe, expect, it } from '@jest/globals';
import { matchesFilterPolicy } from '../../src/events/filter-policy.js';

const attributes = { eventType: 'payment.completed', appId: 'kaba', gateway: 'kkiapay', country: 'BJ' };

describe('SNS filter policy (exact-match allow-lists)', () => {
  it.each([
    [{}, true],
    [{ appId: ['kaba'] }, true],
    [{ appId: ['events'] }, false],
    [{ appId: ['events', 'kaba'] }, true],
    [{ eventType: ['payment.completed'], gateway: ['kkiapay'] }, true],
    [{ eventType: ['payment.completed'], gateway: ['stripe'] }, false],
    [{ businessId: ['biz-xyz'] }, false],
    [{ appId: ['Kaba'] }, false],
    [{ appId: [] }, false],
  ])('%j → %s', (policy, expected) => {
    expect(matchesFilterPolicy(policy, attributes)).toBe(expected);
  });
});
