import type { AppDependencies } from './app.dependencies.js';
import { onFirstUse } from './domain/on-first-use.js';
import type { AppServices } from './app.services.js';

// Every use case but creating an intent (refunds, webhooks, payouts, operations, outbound
// webhooks…), built on the first request that needs one: the import() keeps their code off the
// API Lambda's cold start, which serves POST /api/v1/intents (ADR 0020, third pass).
export type LoadServices = () => Promise<AppServices>;

// The Nest token the controllers inject a LoadServices with.
export const APP_SERVICES = Symbol('APP_SERVICES');

export const servicesOnFirstUse = (deps: AppDependencies): LoadServices =>
  onFirstUse(async () => (await import('./app.services.js')).buildServices(deps));
