import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Command = Parameters<DynamoDBDocumentClient['send']>[0];
type Capacity = { CapacityUnits?: number; Table?: { CapacityUnits?: number }; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> };

export interface MeteredCall {
  command: string;
  write: boolean;
  // Units the table itself and each index consumed (DynamoDB Local reports both).
  table: number;
  indexes: Record<string, number>;
  total: number;
  // Items written (a transaction counts each of its items).
  items: number;
}

const WRITES = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand', 'BatchWriteCommand']);

// Wraps a document client's send so every command asks for ReturnConsumedCapacity INDEXES, and
// records what each one consumed: the write cost of a flow is then read, not estimated.
export class CapacityMeter {
  readonly calls: MeteredCall[] = [];
  readonly client: DynamoDBDocumentClient;

  constructor(real: DynamoDBDocumentClient) {
    const send = async (command: Command, ...rest: unknown[]) => {
      const input = command.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'INDEXES';
      const output = (await (real.send as (c: Command, ...r: unknown[]) => Promise<{ ConsumedCapacity?: Capacity | Capacity[] }>)(command, ...rest));
      this.record(command, output.ConsumedCapacity);
      return output;
    };
    this.client = new Proxy(real, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
  }

  // Everything recorded since the last call (one phase of a flow).
  take(): MeteredCall[] {
    return this.calls.splice(0);
  }

  private record(command: Command, consumed: Capacity | Capacity[] | undefined): void {
    const name = command.constructor.name;
    const write = WRITES.has(name);
    // A write DynamoDB Local did not report would make the figures lie: fail loudly instead.
    if (consumed === undefined && write) throw new Error(`no ConsumedCapacity reported for ${name}`);
    const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    const indexes: Record<string, number> = {};
    let table = 0;
    for (const capacity of list) {
      table += capacity.Table?.CapacityUnits ?? 0;
      for (const [index, used] of Object.entries(capacity.GlobalSecondaryIndexes ?? {})) indexes[index] = (indexes[index] ?? 0) + (used.CapacityUnits ?? 0);
    }
    const total = list.reduce((sum, capacity) => sum + (capacity.CapacityUnits ?? 0), 0);
    const input = command.input as { TransactItems?: unknown[]; RequestItems?: Record<string, unknown[]> };
    const items = !write ? 0 : input.TransactItems?.length ?? Object.values(input.RequestItems ?? {}).reduce((n, list) => n + list.length, 0) ?? 1;
    this.calls.push({ command: name, write, table, indexes, total, items: items || 1 });
  }
}

// Sums of one phase: write units, read units, write requests and item writes, and the index share.
export function costOf(calls: readonly MeteredCall[]) {
  const writes = calls.filter((call) => call.write);
  const reads = calls.filter((call) => !call.write);
  const sum = (list: readonly MeteredCall[], pick: (call: MeteredCall) => number) => list.reduce((n, call) => n + pick(call), 0);
  const indexUnits: Record<string, number> = {};
  for (const call of writes) for (const [index, used] of Object.entries(call.indexes)) indexUnits[index] = (indexUnits[index] ?? 0) + used;
  return {
    writeUnits: sum(writes, (call) => call.total),
    readUnits: sum(reads, (call) => call.total),
    writeRequests: writes.length,
    itemWrites: sum(writes, (call) => call.items),
    indexWriteUnits: indexUnits,
  };
}
