import { Controller, HttpCode, Inject, Param, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';

// Open route (gateways cannot send our API key); every request is authenticated by the gateway's
// own scheme before anything is read. Their own per-IP budget (rate-limits.ts): gateways send
// bursts from few IPs.
@Controller('webhooks')
export class WebhooksController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Post(':gateway')
  @HttpCode(200)
  async receive(@Param('gateway') gateway: string, @Req() request: Request) {
    const { webhooks } = await this.services();
    await webhooks.handle(gateway, request.rawBody ?? Buffer.alloc(0), flattenHeaders(request.headers));
    return { received: true };
  }

  // MoMo transfer callbacks (PUT or POST): unsigned, so only a trigger to re-query the transfer.
  @Post('momo/disbursements/:disbursementId')
  @HttpCode(200)
  async momoDisbursementCallback(@Param('disbursementId') disbursementId: string) {
    const { disburse } = await this.services();
    await disburse.refresh(disbursementId);
    return { received: true };
  }

  @Put('momo/disbursements/:disbursementId')
  @HttpCode(200)
  async momoDisbursementCallbackPut(@Param('disbursementId') disbursementId: string) {
    return this.momoDisbursementCallback(disbursementId);
  }

  // MoMo calls back (PUT or POST) on the URL we gave it, with our reference id in the path.
  @Post(':gateway/:reference')
  @HttpCode(200)
  async receiveWithReference(@Param('gateway') gateway: string, @Param('reference') reference: string, @Req() request: Request) {
    const { webhooks } = await this.services();
    await webhooks.handle(gateway, request.rawBody ?? Buffer.alloc(0), flattenHeaders(request.headers), reference);
    return { received: true };
  }

  @Put(':gateway/:reference')
  @HttpCode(200)
  async receivePutWithReference(@Param('gateway') gateway: string, @Param('reference') reference: string, @Req() request: Request) {
    return this.receiveWithReference(gateway, reference, request);
  }
}

function flattenHeaders(headers: Request['headers']): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
}
