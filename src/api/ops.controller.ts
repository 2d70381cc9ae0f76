import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';
import type { OpenWorkView, ReviewItemView } from '../services/ops.service.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { OpenWorkQueryDto, PageQueryDto, ResolveReviewDto } from './dto/ops.dto.js';
import { OperationsKeyGuard } from './operations-key.guard.js';

const DEFAULT_LIMIT = 20;
const DEFAULT_OLDER_THAN_MINUTES = 60;

// The operations view (ADR 0015): review items and open work, for the operations key only.
@Controller('api/v1/ops')
@UseGuards(ApiKeyGuard, OperationsKeyGuard)
export class OpsController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Get('review-items')
  async reviewItems(@Req() request: Request, @Query() query: PageQueryDto) {
    const { ops } = await this.services();
    const page = await ops.listReviewItems(principalOf(request), query.cursor ?? null, query.limit ?? DEFAULT_LIMIT);
    return { items: page.items.map(toReviewItemResponse), nextCursor: page.nextCursor };
  }

  @Post('review-items/:id/resolve')
  @HttpCode(200)
  async resolve(@Req() request: Request, @Param('id') id: string, @Body() body: ResolveReviewDto) {
    const { ops } = await this.services();
    return toReviewItemResponse(await ops.resolveReviewItem(principalOf(request), id, body.resolution, body.resolvedBy));
  }

  @Get('open-work')
  async openWork(@Req() request: Request, @Query() query: OpenWorkQueryDto) {
    const { ops } = await this.services();
    const page = await ops.listOpenWork(
      principalOf(request),
      query.kind,
      query.olderThanMinutes ?? DEFAULT_OLDER_THAN_MINUTES,
      query.cursor ?? null,
      query.limit ?? DEFAULT_LIMIT,
    );
    return { items: page.items.map(toOpenWorkResponse), nextCursor: page.nextCursor };
  }
}

export const toReviewItemResponse = (r: ReviewItemView) => ({
  id: r.id,
  gateway: r.gateway,
  eventId: r.eventId,
  reason: r.reason,
  detail: r.detail,
  createdAt: r.createdAt,
  resolvedAt: r.resolvedAt,
  resolvedBy: r.resolvedBy,
  resolution: r.resolution,
  whatHappened: r.whatHappened,
  whatToDo: r.whatToDo,
});

export const toOpenWorkResponse = (w: OpenWorkView) => ({
  kind: w.kind,
  id: w.id,
  appId: w.appId,
  intentId: w.intentId,
  status: w.status,
  gateway: w.gateway,
  reference: w.reference,
  open: w.open,
  lastAttemptOutcome: w.lastAttemptOutcome,
  gatewayOutcome: w.gatewayOutcome,
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
  whatHappened: w.whatHappened,
  whatToDo: w.whatToDo,
});
