import { DomainError, validationError } from '../domain/errors.js';
import type { IntentStatus, PaymentIntent } from '../domain/intent.js';
import type { Principal } from './principal.js';

export interface IntentPage {
  items: PaymentIntent[];
  nextCursor: string | null;
}

export interface IntentLookup {
  // Newest first; `cursor` is the opaque nextCursor of the previous page (VALIDATION_ERROR if not).
  listByReference(appId: string, referenceId: string, options: { status: IntentStatus | null; limit: number; cursor: string | null }): Promise<IntentPage>;
}

export interface ListIntentsQuery {
  referenceId: string;
  status?: IntentStatus;
  appId?: string;
  limit?: number;
  cursor?: string;
}

export const DEFAULT_INTENT_PAGE = 20;

// "What happened to invoice-456?": the intents of one referenceId, scoped to the key's app.
export class ListIntentsService {
  constructor(private readonly lookup: IntentLookup) {}

  async execute(principal: Principal, query: ListIntentsQuery): Promise<IntentPage> {
    const appId = appIdFor(principal, query.appId);
    return this.lookup.listByReference(appId, query.referenceId, {
      status: query.status ?? null,
      limit: query.limit ?? DEFAULT_INTENT_PAGE,
      cursor: query.cursor ?? null,
    });
  }
}

function appIdFor(principal: Principal, requested: string | undefined): string {
  if (principal.appId === null) {
    if (requested === undefined) throw validationError('appId is required with the operations key');
    return requested;
  }
  if (requested !== undefined && requested !== principal.appId) {
    throw new DomainError('FORBIDDEN', `This API key may only list intents of app ${principal.appId}`);
  }
  return principal.appId;
}
