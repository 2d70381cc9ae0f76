import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../services/principal.js';
import { apiKeyAppId, requestAppId } from './api-key-identity.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const DEVELOPMENT_PRINCIPAL: Principal = { appId: null };

// X-API-Key: only SHA-256 hashes are configured (compared in api-key-identity.ts).
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    request.principal = this.principalFor(request.header('x-api-key'), () => requestAppId(request, this.config.apiKeys));
    return true;
  }

  authenticate(presentedKey: string | undefined): Principal {
    return this.principalFor(presentedKey, () => apiKeyAppId(presentedKey, this.config.apiKeys));
  }

  private principalFor(presentedKey: string | undefined, appIdOf: () => string | null | undefined): Principal {
    const { apiKeys, nodeEnv } = this.config;
    if (apiKeys.length === 0 && nodeEnv === 'development') return DEVELOPMENT_PRINCIPAL;
    if (!presentedKey) throw new DomainError('UNAUTHORIZED', 'Missing X-API-Key header');
    const appId = appIdOf();
    if (appId === undefined) throw new DomainError('UNAUTHORIZED', 'Invalid X-API-Key');
    return { appId };
  }
}

export const principalOf = (request: Request): Principal => {
  if (!request.principal) throw new DomainError('UNAUTHORIZED', 'Not authenticated');
  return request.principal;
};
