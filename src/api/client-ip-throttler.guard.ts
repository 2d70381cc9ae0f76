import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainError } from '../domain/errors.js';
import { rateLimitMessage } from './rate-limits.js';

// The client is the socket peer: locally the TCP address; on Lambda, serverless-express sets it
// from API Gateway's requestContext.identity.sourceIp. X-Forwarded-For is never trusted, so a
// forged header cannot buy a fresh budget.
@Injectable()
export class ClientIpThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    return Promise.resolve(request.socket?.remoteAddress ?? 'unknown');
  }

  // The library's key includes the controller and handler, which gives every route its own
  // budget (8 handlers = 800 requests a minute). The key is the budget and the client only.
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const throttler = detail.key.slice(0, detail.key.indexOf(':'));
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    throw new DomainError('RATE_LIMITED', rateLimitMessage(throttler, { limit: detail.limit, ttlMs: detail.ttl }));
  }
}
