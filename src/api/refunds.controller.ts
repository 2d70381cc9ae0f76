import { Body, Controller, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { ConfirmRefundDto } from './dto/confirm-refund.dto.js';
import { toRefundResponse } from './intent.response.js';

// Operator confirmation of manual refunds (KkiaPay, MoMo, TKH dashboards): operations key only.
@Controller('api/v1/intents')
@UseGuards(ApiKeyGuard)
export class RefundsController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Post(':id/refunds/:refundId/confirm')
  @HttpCode(200)
  async confirm(@Req() request: Request, @Param('id') id: string, @Param('refundId') refundId: string, @Body() body: ConfirmRefundDto) {
    const { refundSettlement } = await this.services();
    return toRefundResponse(await refundSettlement.confirm(principalOf(request), id, refundId, body.outcome));
  }
}
