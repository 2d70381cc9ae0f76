import type { AppDependencies } from './app.dependencies.js';
import { CreateIntentService } from './services/create-intent.service.js';
import { IdempotencyService } from './services/idempotency.service.js';
import { DynamoIdempotencyStore } from './storage/idempotency.repository.js';
import { DynamoIntentRepository } from './storage/intent.repository.js';

// POST /api/v1/intents, wired at start: the one use case the API Lambda's cold start serves
// (the others: app.services-on-first-use.ts).
export function buildCreateIntent(deps: AppDependencies): CreateIntentService {
  const { config, db, gateways, clock, ids } = deps;
  const idempotency = new IdempotencyService(new DynamoIdempotencyStore(db, config.tableName), clock, ids);
  return new CreateIntentService(new DynamoIntentRepository(db, config.tableName), gateways, idempotency, clock);
}
