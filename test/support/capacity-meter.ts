import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writeUnits, type Item } from './write-units.js';

type Command = Parameters<DynamoDBDocumentClient['send']>[0];
type Capacity = { CapacityUnits?: number; Table?: { CapacityUnits?: number }; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> };
type Key = { TableName: string; Key: Item };

export interface MeteredCall {
  command: string;
  write: boolean;
  // Write units priced from the item images (write-units.ts); read units as DynamoDB Local reports.
  table: number;
  indexes: Record<string, number>;
  total: number;
  // What DynamoDB Local itself reported (it under-reports transactions).
  reported: number;
  // Items written (a transaction counts each of its items).
  items: number;
}

const SINGLE = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand']);

// The keys a write touches, with whether they are written inside a transaction.
function touched(command: Command): { keys: Key[]; transactional: boolean } | null {
  const name = command.constructor.name;
  const input = command.input as Record<string, unknown> & { TableName?: string; Item?: Item; Key?: Item };
  const keyOf = (table: string, item: Item) => ({ TableName: table, Key: { pk: item.pk, sk: item.sk } });
  if (SINGLE.has(name)) return { keys: [keyOf(input.TableName as string, (input.Item ?? input.Key) as Item)], transactional: false };
  if (name === 'TransactWriteCommand') {
    const items = input.TransactItems as Array<Record<string, { TableName: string; Item?: Item; Key?: Item }>>;
    return {
      keys: items.map((entry) => {
        if (entry.ConditionCheck) throw new Error('ConditionCheck is not priced by the meter');
        const op = (entry.Put ?? entry.Update ?? entry.Delete)!;
        return keyOf(op.TableName, (op.Item ?? op.Key) as Item);
      }),
      transactional: true,
    };
  }
  if (name === 'BatchWriteCommand') {
    const requests = input.RequestItems as Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>;
    return { keys: Object.entries(requests).flatMap(([table, list]) => list.map((r) => keyOf(table, (r.PutRequest?.Item ?? r.DeleteRequest?.Key) as Item))), transactional: false };
  }
  return null;
}

// Wraps a document client's send: every write is priced from the items before and after it, every
// command asks for ReturnConsumedCapacity INDEXES (reads are taken as reported). The cost of a flow
// is then read, not estimated by hand.
export class CapacityMeter {
  readonly calls: MeteredCall[] = [];
  readonly client: DynamoDBDocumentClient;

  constructor(private readonly real: DynamoDBDocumentClient) {
    const send = async (command: Command, ...rest: unknown[]) => {
      (command.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const writes = touched(command);
      const before = writes ? await this.images(writes.keys) : [];
      const output = await (real.send as (c: Command, ...r: unknown[]) => Promise<{ ConsumedCapacity?: Capacity | Capacity[] }>)(command, ...rest);
      const after = writes ? await this.images(writes.keys) : [];
      this.record(command, output.ConsumedCapacity, writes, before, after);
      return output;
    };
    this.client = new Proxy(real, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
  }

  // Everything recorded since the last call (one phase of a flow).
  take(): MeteredCall[] {
    return this.calls.splice(0);
  }

  private async images(keys: Key[]): Promise<Array<Item | null>> {
    return Promise.all(keys.map(async (key) => ((await this.real.send(new GetCommand({ ...key, ConsistentRead: true }))).Item as Item | undefined) ?? null));
  }

  private record(command: Command, consumed: Capacity | Capacity[] | undefined, writes: ReturnType<typeof touched>, before: Array<Item | null>, after: Array<Item | null>): void {
    const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    const reported = list.reduce((sum, capacity) => sum + (capacity.CapacityUnits ?? 0), 0);
    if (!writes) {
      this.calls.push({ command: command.constructor.name, write: false, table: reported, indexes: {}, total: reported, reported, items: 0 });
      return;
    }
    const indexes: Record<string, number> = {};
    let table = 0;
    writes.keys.forEach((_, i) => {
      const priced = writeUnits(before[i] ?? null, after[i] ?? null, writes.transactional);
      table += priced.table;
      for (const [index, used] of Object.entries(priced.indexes)) indexes[index] = (indexes[index] ?? 0) + used;
    });
    const total = table + Object.values(indexes).reduce((sum, used) => sum + used, 0);
    this.calls.push({ command: command.constructor.name, write: true, table, indexes, total, reported, items: writes.keys.length });
  }
}

// Sums of one phase: write units, read units, write requests and item writes, and the index share.
export function costOf(calls: readonly MeteredCall[]) {
  const writes = calls.filter((call) => call.write);
  const reads = calls.filter((call) => !call.write);
  const sum = (list: readonly MeteredCall[], pick: (call: MeteredCall) => number) => list.reduce((n, call) => n + pick(call), 0);
  const indexWriteUnits: Record<string, number> = {};
  for (const call of writes) for (const [index, used] of Object.entries(call.indexes)) indexWriteUnits[index] = (indexWriteUnits[index] ?? 0) + used;
  return {
    writeUnits: sum(writes, (call) => call.total),
    readUnits: sum(reads, (call) => call.total),
    writeRequests: writes.length,
    itemWrites: sum(writes, (call) => call.items),
    indexWriteUnits,
  };
}
