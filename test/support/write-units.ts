import { INDEXES } from '../../src/storage/table-schema.js';

// DynamoDB's write pricing, computed from item images (ADR 0020): DynamoDB Local's
// ConsumedCapacity is right for single-item writes but reports a TransactWriteItems as 2 units
// whatever its size, so the write-cost test prices every write from the items before and after it.
//   - a write is ceil(size / 1 KB) units of the larger of the old and new item;
//   - each index the item is in (before or after) costs the same for its entry: an unchanged
//     index key is one entry write, a changed one is a delete plus a put, leaving is a delete;
//   - inside a transaction every unit counts twice.

export type Item = Record<string, unknown>;

const KB = 1024;
const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

// Attribute value sizes as DynamoDB documents them: strings by UTF-8 length, numbers by their
// significant digits (≈ digits / 2 + 1), booleans and null 1 byte, lists and maps 3 bytes plus
// 1 per element and their contents.
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element), 0);
  throw new Error(`no size for ${typeof value}`);
}

export const itemSize = (item: Item): number =>
  Object.entries(item).reduce((sum, [name, value]) => (value === undefined ? sum : sum + utf8(name) + valueSize(value)), 0);

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

// Each index projects ALL attributes of the items that carry both of its key attributes.
const INDEX_KEYS = Object.values(INDEXES).map((index: { name: string; partitionKey: string; sortKey?: string }) => ({
  name: index.name,
  keys: [index.partitionKey, ...(index.sortKey ? [index.sortKey] : [])],
}));
const indexKey = (item: Item | null, keys: readonly string[]) =>
  item && keys.every((key) => typeof item[key] === 'string') ? keys.map((key) => item[key]).join('\u0000') : null;

export interface WriteUnits {
  table: number;
  indexes: Record<string, number>;
}

// One item write (put, update or delete) from its images; null = absent.
export function writeUnits(before: Item | null, after: Item | null, transactional: boolean): WriteUnits {
  const factor = transactional ? 2 : 1;
  const size = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0);
  const indexes: Record<string, number> = {};
  for (const { name, keys } of INDEX_KEYS) {
    const was = indexKey(before, keys);
    const is = indexKey(after, keys);
    if (was === null && is === null) continue;
    if (was !== null && is !== null && was === is && JSON.stringify(before) === JSON.stringify(after)) continue;
    const entry = was !== null && is !== null && was !== is ? units(itemSize(before!)) + units(itemSize(after!)) : units(size);
    indexes[name] = entry * factor;
  }
  return { table: units(size) * factor, indexes };
}
