import { AsyncLocalStorage } from 'node:async_hooks';

// What every log line of one request carries: its id, and — once a service knows them — the app
// and the product's referenceId, so "what happened to invoice-456?" is one log search.
interface RequestScope {
  requestId: string;
  appId?: string;
  referenceId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const currentRequestScope = (): Readonly<RequestScope> | undefined => storage.getStore();
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

export const runWithRequestId = <T>(requestId: string, fn: () => T): T => storage.run({ requestId }, fn);

// Called by a service once it knows what the request is about; outside a request it does nothing.
export function annotateRequest(fields: { appId?: string; referenceId?: string }): void {
  const scope = storage.getStore();
  if (!scope) return;
  if (fields.appId) scope.appId = fields.appId;
  if (fields.referenceId) scope.referenceId = fields.referenceId;
}
