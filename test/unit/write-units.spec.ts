import { describe, expect, it } from '@jest/globals';
import { itemSize, valueSize, writeUnits } from '../support/write-units.js';

describe('write-unit pricing (the write-cost test relies on it)', () => {
  it('sizes values as DynamoDB documents them', () => {
    expect(valueSize('héllo')).toBe(6);
    expect(valueSize(500000)).toBe(2); // one significant digit
    expect(valueSize(123456)).toBe(4); // 6 digits: 3 + 1
    expect(valueSize(true)).toBe(1);
    expect(valueSize(null)).toBe(1);
    expect(valueSize(['a', 'bc'])).toBe(3 + 1 + 1 + 1 + 2);
    expect(valueSize({ a: 'x' })).toBe(3 + 1 + 1 + 1);
    expect(itemSize({ pk: 'INTENT#1', n: 1 })).toBe(2 + 8 + 1 + 2);
  });

  it('prices a put by its size, rounded up per KB, and twice inside a transaction', () => {
    const small = { pk: 'A', sk: 'A', body: 'x'.repeat(900) };
    const large = { pk: 'A', sk: 'A', body: 'x'.repeat(1500) };
    expect(writeUnits(null, small, false)).toEqual({ table: 1, indexes: {} });
    expect(writeUnits(null, large, false)).toEqual({ table: 2, indexes: {} });
    expect(writeUnits(null, small, true)).toEqual({ table: 2, indexes: {} });
    // An update is priced by the larger image.
    expect(writeUnits(large, small, false)).toEqual({ table: 2, indexes: {} });
  });

  it('adds one entry write per index the item is in, two when its index key moves', () => {
    const open = { pk: 'I', sk: 'I', gsi3pk: 'OPEN_INTENT', gsi3sk: '2026-01-01', gsi2pk: 'app#ref', gsi2sk: '2026-01-01' };
    expect(writeUnits(null, open, false)).toEqual({ table: 1, indexes: { gsi2b: 1, gsi3: 1 } });
    const rescheduled = { ...open, gsi3sk: '2026-01-02' };
    expect(writeUnits(open, rescheduled, false)).toEqual({ table: 1, indexes: { gsi3: 2 } });
    const settled = { pk: 'I', sk: 'I', gsi2pk: 'app#ref', gsi2sk: '2026-01-01', status: 'succeeded' };
    expect(writeUnits(open, settled, true)).toEqual({ table: 2, indexes: { gsi3: 2 } });
    // An item without both index keys is not in that index.
    expect(writeUnits(null, { pk: 'E', sk: 'E', gsi3pk: 'X' }, false)).toEqual({ table: 1, indexes: {} });
  });

  it('writes an INCLUDE index (gsi2b) only when a projected attribute changes, priced by the projected size', () => {
    const intent = { pk: 'I', sk: 'I', entity: 'intent', id: 'i', createdAt: '2026-01-01', gsi2pk: 'app#ref', gsi2sk: '2026-01-01', status: 'pending', metadata: 'x'.repeat(1500) };
    // The item is 2 KB, its gsi2b entry (keys, entity, id, createdAt) well under 1 KB.
    expect(writeUnits(null, intent, false)).toEqual({ table: 2, indexes: { gsi2b: 1 } });
    expect(writeUnits(intent, { ...intent, status: 'succeeded' }, false)).toEqual({ table: 2, indexes: {} });
    expect(writeUnits(intent, { ...intent, id: 'j' }, false)).toEqual({ table: 2, indexes: { gsi2b: 1 } });
    // An ALL index (gsi3) rewrites its entry on any change, and prices it by the whole item.
    const queued = { ...intent, gsi3pk: 'OPEN_INTENT', gsi3sk: '2026-01-01' };
    expect(writeUnits(queued, { ...queued, status: 'processing' }, false)).toEqual({ table: 2, indexes: { gsi3: 2 } });
    // Entering or leaving an index writes the entry that is (or was) there, as DynamoDB Local charges.
    const small = { ...queued, metadata: 'small' };
    expect(writeUnits(intent, small, false)).toEqual({ table: 2, indexes: { gsi3: 1 } });
    expect(writeUnits(queued, intent, false)).toEqual({ table: 2, indexes: { gsi3: 2 } });
  });
});
