import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { ListEventsQueryDto, RedeliverDto } from './dto/list-events.dto.js';
import { toEventResponse, toEventWithDeliveriesResponse } from './webhook.response.js';

// The app's own events (kept 30 days) with their webhook deliveries, and replay (ADR 0019).
@Controller('api/v1/events')
@UseGuards(ApiKeyGuard)
export class EventsController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Get()
  async list(@Req() request: Request, @Query() query: ListEventsQueryDto) {
    const { webhookEvents } = await this.services();
    const page = await webhookEvents.list(principalOf(request), query);
    return { items: page.items.map(toEventResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Req() request: Request, @Param('id') id: string) {
    const { webhookEvents } = await this.services();
    return toEventWithDeliveriesResponse(await webhookEvents.get(principalOf(request), id));
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  async redeliver(@Req() request: Request, @Param('id') id: string, @Body() body: RedeliverDto) {
    const { webhookEvents } = await this.services();
    return toEventWithDeliveriesResponse(await webhookEvents.redeliver(principalOf(request), id, body.endpointId));
  }
}
