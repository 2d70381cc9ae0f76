import { isUuidV4 } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import type { IntentRepository } from './ports.js';
import { canActFor, type Principal } from './principal.js';

export class GetIntentService {
  constructor(private readonly intents: IntentRepository) {}

  // Unknown, malformed and other apps' ids all look the same from outside: 404.
  async execute(principal: Principal, id: string): Promise<PaymentIntent> {
    const intent = isUuidV4(id) ? await this.intents.get(id) : null;
    if (!intent || !canActFor(principal, intent.appId)) {
      throw new DomainError('NOT_FOUND', `PaymentIntent not found: ${id.slice(0, 64)}`);
    }
    return intent;
  }
}
