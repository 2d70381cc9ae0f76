import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';
import { CreateIntentService } from '../services/create-intent.service.js';
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
    // Wired at start: the call the API Lambda's cold start serves. The rest load on first use.
    @Inject(CreateIntentService) private readonly createIntent: CreateIntentService,
    @Inject(APP_SERVICES) private readonly services: LoadServices,
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
    const { verifyKkiapay } = await this.services();
    const { verified, intent } = await verifyKkiapay.execute(principalOf(request), body);
    return { verified, intent: toIntentResponse(intent) };
  }

  @Get(':id')
  async get(@Req() request: Request, @Param('id') id: string) {
    const { getIntent } = await this.services();
    const { intent, ledger, payouts } = await getIntent.withLedger(principalOf(request), id);
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
    const { refunds } = await this.services();
    const result = await refunds.execute(principalOf(request), id, body, parseIdempotencyKey(idempotencyKey));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return toRefundResponse(result.value);
  }

  // Naturally idempotent: cancelling a cancelled intent answers it again (ADR 0013).
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Req() request: Request, @Param('id') id: string) {
    const { cancelIntent } = await this.services();
    return toIntentResponse(await cancelIntent.cancel(principalOf(request), id));
  }
}
