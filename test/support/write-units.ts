import { isDeepStrictEqual } from 'node:util';
import { INDEXES, type IndexProjection } from '../../src/storage/table-schema.js';

// DynamoDB's write pricing, computed from item images (ADR 0020): DynamoDB Local's
// ConsumedCapacity is right for single-item writes but reports a TransactWriteItems as 2 units
// whatever its size, so the write-cost test prices every write from the items before and after it.
//   - a write is ceil(size / 1 KB) units of the larger of the old and new item;
//   - each index the item is in (before or after) writes its entry, priced by the entry's size
//     (the projected attributes: the whole item for ALL, else the table's and the index's keys
//     plus any INCLUDEd ones): a put on entering, a delete on leaving, a delete plus a put when
//     the index key moves, one write of the larger entry otherwise — and nothing when the entry
//     is unchanged (with KEYS_ONLY or INCLUDE, an update that sets no projected attribute);
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

const TABLE_KEYS = ['pk', 'sk'];
const INDEX_SHAPES = Object.values(INDEXES).map((index: { name: string; partitionKey: string; sortKey: string; projection: IndexProjection }) => ({
  name: index.name,
  keys: [index.partitionKey, index.sortKey],
  projection: index.projection,
}));
type IndexShape = (typeof INDEX_SHAPES)[number];

// The item's entry in the index (null: it lacks one of the index's key attributes, so it is not in it).
function entryOf(item: Item | null, { keys, projection }: IndexShape): Item | null {
  if (!item || !keys.every((key) => typeof item[key] === 'string')) return null;
  if (projection.type === 'ALL') return item;
  const projected = [...TABLE_KEYS, ...keys, ...(projection.type === 'INCLUDE' ? projection.attributes : [])];
  return Object.fromEntries(projected.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
}
const keyOf = (entry: Item, keys: readonly string[]) => keys.map((key) => entry[key]).join('\u0000');

export interface WriteUnits {
  table: number;
  indexes: Record<string, number>;
}

// One item write (put, update or delete) from its images; null = absent.
export function writeUnits(before: Item | null, after: Item | null, transactional: boolean): WriteUnits {
  const factor = transactional ? 2 : 1;
  const size = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0);
  const indexes: Record<string, number> = {};
  for (const index of INDEX_SHAPES) {
    const was = entryOf(before, index);
    const is = entryOf(after, index);
    // Not in the index, or its entry is unchanged: nothing written there.
    if (isDeepStrictEqual(was, is)) continue;
    const moved = was !== null && is !== null && keyOf(was, index.keys) !== keyOf(is, index.keys);
    const entry = moved ? units(itemSize(was)) + units(itemSize(is)) : units(Math.max(was ? itemSize(was) : 0, is ? itemSize(is) : 0));
    indexes[index.name] = entry * factor;
  }
  return { table: units(size) * factor, indexes };
}
