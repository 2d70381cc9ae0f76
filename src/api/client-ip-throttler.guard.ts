import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

// The client is the socket peer: locally the TCP address; on Lambda, serverless-express sets it
// from API Gateway's requestContext.identity.sourceIp. X-Forwarded-For is never trusted, so a
// forged header cannot buy a fresh budget.
@Injectable()
export class ClientIpThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    return Promise.resolve(request.socket?.remoteAddress ?? 'unknown');
  }
}
