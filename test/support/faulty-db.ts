import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Command = Parameters<DynamoDBDocumentClient['send']>[0];

// What a failing DynamoDB write looks like from the SDK: a 500 from the service (transient, so
// our code retries it) or a non-transient error (our code gives up and leaves the record open).
export const dynamoInternalError = (): Error =>
  Object.assign(new Error('injected: DynamoDB InternalServerError'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
export const dynamoHardError = (): Error =>
  Object.assign(new Error('injected: DynamoDB write lost'), { name: 'InjectedWriteFailure', $metadata: { httpStatusCode: 400 } });

export interface WriteFault {
  // Which commands fail: e.g. (c) => c.constructor.name === 'TransactWriteCommand'.
  matches: (command: Command) => boolean;
  // How many matching commands fail (Infinity: "DynamoDB is gone" until disarmed).
  times: number;
  error: () => Error;
  // The write reaches DynamoDB and is applied; only its answer is lost (a reset after it left).
  applied?: boolean;
}

// A document client that delegates to the real DynamoDB Local one but fails chosen writes while a
// fault is armed, so tests can make our own save fail right after a gateway moved money.
export class FaultyDb {
  readonly client: DynamoDBDocumentClient;
  private fault: WriteFault | null = null;
  failures = 0;

  constructor(real: DynamoDBDocumentClient) {
    const send = (command: Command, ...rest: unknown[]) => {
      const fault = this.fault;
      if (fault && fault.times > 0 && fault.matches(command)) {
        fault.times -= 1;
        this.failures += 1;
        const sent = fault.applied ? (real.send as (c: Command, ...r: unknown[]) => Promise<unknown>)(command, ...rest) : Promise.resolve();
        return sent.then(() => Promise.reject(fault.error()));
      }
      return (real.send as (c: Command, ...r: unknown[]) => Promise<unknown>)(command, ...rest);
    };
    this.client = new Proxy(real, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
  }

  arm(fault: WriteFault): void {
    this.fault = { ...fault };
  }

  disarm(): void {
    this.fault = null;
  }
}

export const isWrite = (command: Command): boolean =>
  ['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand'].includes(command.constructor.name);
