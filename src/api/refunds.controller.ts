import { Body, Controller, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { RefundSettlementService } from '../services/refund-settlement.service.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { ConfirmRefundDto } from './dto/confirm-refund.dto.js';
import { toRefundResponse } from './intent.response.js';

// Operator confirmation of manual refunds (KkiaPay, MoMo, TKH dashboards): operations key only.
@Controller('api/v1/intents')
@UseGuards(ApiKeyGuard)
export class RefundsController {
  constructor(@Inject(RefundSettlementService) private readonly settlement: RefundSettlementService) {}

  @Post(':id/refunds/:refundId/confirm')
  @HttpCode(200)
  async confirm(@Req() request: Request, @Param('id') id: string, @Param('refundId') refundId: string, @Body() body: ConfirmRefundDto) {
    return toRefundResponse(await this.settlement.confirm(principalOf(request), id, refundId, body.outcome));
  }
}
