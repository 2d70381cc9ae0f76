import { DomainError, validationError } from '../domain/errors.js';
import type { Principal } from './principal.js';

// The app a request acts for: an app key's own; the operations key names one with `appId`.
export function appScope(principal: Principal, requested: string | undefined): string {
  if (principal.appId === null) {
    if (requested === undefined) throw validationError('appId is required with the operations key');
    return requested;
  }
  if (requested !== undefined && requested !== principal.appId) {
    throw new DomainError('FORBIDDEN', `This API key may only act for app ${principal.appId}`);
  }
  return principal.appId;
}
