import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../services/principal.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const DEVELOPMENT_PRINCIPAL: Principal = { appId: null };

// X-API-Key: only SHA-256 hashes are configured; every configured hash is compared in
// constant time (no early exit), so timing does not reveal which entry matched.
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    request.principal = this.authenticate(request.header('x-api-key'));
    return true;
  }

  authenticate(presentedKey: string | undefined): Principal {
    const { apiKeys, nodeEnv } = this.config;
    if (apiKeys.length === 0 && nodeEnv === 'development') return DEVELOPMENT_PRINCIPAL;
    if (!presentedKey) throw new DomainError('UNAUTHORIZED', 'Missing X-API-Key header');
    const presented = createHash('sha256').update(presentedKey, 'utf8').digest();
    let match: Principal | null = null;
    for (const entry of apiKeys) {
      if (timingSafeEqual(presented, entry.sha256) && match === null) match = { appId: entry.appId };
    }
    if (match === null) throw new DomainError('UNAUTHORIZED', 'Invalid X-API-Key');
    return match;
  }
}

export const principalOf = (request: Request): Principal => {
  if (!request.principal) throw new DomainError('UNAUTHORIZED', 'Not authenticated');
  return request.principal;
};
