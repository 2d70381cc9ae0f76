import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import { HandleWebhookService } from '../services/handle-webhook.service.js';

// Open route (gateways cannot send our API key); every request is authenticated by the gateway's
// own scheme before anything is read. Not rate-limited per IP: gateways send bursts from few IPs.
@Controller('webhooks')
@SkipThrottle()
export class WebhooksController {
  constructor(@Inject(HandleWebhookService) private readonly webhooks: HandleWebhookService) {}

  @Post(':gateway')
  @HttpCode(200)
  async receive(@Param('gateway') gateway: string, @Req() request: Request) {
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    await this.webhooks.handle(gateway, rawBody, flattenHeaders(request.headers));
    return { received: true };
  }
}

function flattenHeaders(headers: Request['headers']): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
}
