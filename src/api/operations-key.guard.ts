import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../domain/errors.js';
import { principalOf } from './api-key.guard.js';

// After ApiKeyGuard: only the operations (unscoped) key passes. A guard, so an app key is refused
// before its query or body is even validated.
@Injectable()
export class OperationsKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (principalOf(context.switchToHttp().getRequest<Request>()).appId !== null) {
      throw new DomainError('FORBIDDEN', 'operations key required');
    }
    return true;
  }
}
