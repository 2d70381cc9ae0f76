import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CancelIntentService } from '../services/cancel-intent.service.js';
import { CreateIntentService } from '../services/create-intent.service.js';
import { GetIntentService } from '../services/get-intent.service.js';
import { RefundIntentService } from '../services/refund-intent.service.js';
import { VerifyKkiapayService } from '../services/verify-kkiapay.service.js';
import { VerifyKkiapayDto } from './dto/verify-kkiapay.dto.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { CreateIntentDto } from './dto/create-intent.dto.js';
import { parseIdempotencyKey } from './idempotency-key.js';
import { RefundDto } from './dto/refund.dto.js';
import { toIntentResponse, toIntentWithLedgerResponse, toRefundResponse } from './intent.response.js';

@Controller('api/v1/intents')
@UseGuards(ApiKeyGuard)
export class IntentsController {
  constructor(
    @Inject(CreateIntentService) private readonly createIntent: CreateIntentService,
    @Inject(GetIntentService) private readonly getIntent: GetIntentService,
    @Inject(VerifyKkiapayService) private readonly verify: VerifyKkiapayService,
    @Inject(RefundIntentService) private readonly refunds: RefundIntentService,
    @Inject(CancelIntentService) private readonly cancelIntent: CancelIntentService,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @Req() request: Request,
    @Body() body: CreateIntentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.createIntent.execute(principalOf(request), body, parseIdempotencyKey(idempotencyKey));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return toIntentResponse(result.value);
  }

  @Post('verify-kkiapay')
  @HttpCode(200)
  async verifyKkiapay(@Req() request: Request, @Body() body: VerifyKkiapayDto) {
    const { verified, intent } = await this.verify.execute(principalOf(request), body);
    return { verified, intent: toIntentResponse(intent) };
  }

  @Get(':id')
  async get(@Req() request: Request, @Param('id') id: string) {
    const { intent, ledger, payouts } = await this.getIntent.withLedger(principalOf(request), id);
    return toIntentWithLedgerResponse(intent, ledger, payouts);
  }

  @Post(':id/refund')
  @HttpCode(201)
  async refund(
    @Req() request: Request,
    @Param('id') id: string,
    @Body() body: RefundDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.refunds.execute(principalOf(request), id, body, parseIdempotencyKey(idempotencyKey));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return toRefundResponse(result.value);
  }

  // Naturally idempotent: cancelling a cancelled intent answers it again (ADR 0013).
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Req() request: Request, @Param('id') id: string) {
    return toIntentResponse(await this.cancelIntent.cancel(principalOf(request), id));
  }
}
