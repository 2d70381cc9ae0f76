import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';
import type { Disbursement } from '../domain/disbursement.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { CreateDisbursementDto } from './dto/create-disbursement.dto.js';
import { parseIdempotencyKey } from './idempotency-key.js';

@Controller('api/v1/disbursements')
@UseGuards(ApiKeyGuard)
export class DisbursementsController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Post()
  @HttpCode(201)
  async create(
    @Req() request: Request,
    @Body() body: CreateDisbursementDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { disburse } = await this.services();
    const result = await disburse.create(principalOf(request), body, parseIdempotencyKey(idempotencyKey));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return toDisbursementResponse(result.value);
  }

  @Get(':id')
  async get(@Req() request: Request, @Param('id') id: string) {
    const { disburse } = await this.services();
    return toDisbursementResponse(await disburse.get(principalOf(request), id));
  }
}

export function toDisbursementResponse(d: Disbursement) {
  return {
    id: d.id,
    appId: d.appId,
    referenceId: d.referenceId,
    businessId: d.businessId,
    intentId: d.intentId,
    amount: d.amount,
    currency: d.currency,
    country: d.country,
    phoneNumber: d.phoneNumber,
    status: d.status,
    provider: d.provider,
    providerReference: d.providerReference,
    failureReason: d.failureReason,
    attempts: d.attempts,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
