import { Controller, Get, Inject, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { ListIntentsQueryDto } from './dto/list-intents.dto.js';
import { toIntentResponse } from './intent.response.js';

// GET /api/v1/intents?referenceId=… — find the intents of a referenceId, newest first.
@Controller('api/v1/intents')
@UseGuards(ApiKeyGuard)
export class IntentLookupController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Get()
  async list(@Req() request: Request, @Query() query: ListIntentsQueryDto) {
    const { listIntents } = await this.services();
    const page = await listIntents.execute(principalOf(request), query);
    return { items: page.items.map(toIntentResponse), nextCursor: page.nextCursor };
  }
}
