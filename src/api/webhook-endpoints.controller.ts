import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { AppScopeQueryDto, CreateWebhookEndpointDto, RotateSecretDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import { toEndpointResponse, toEndpointWithSecretResponse } from './webhook.response.js';

// An app's outbound webhook endpoints (ADR 0019), under its own X-API-Key.
@Controller('api/v1/webhook-endpoints')
@UseGuards(ApiKeyGuard)
export class WebhookEndpointsController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Post()
  async create(@Req() request: Request, @Query() query: AppScopeQueryDto, @Body() body: CreateWebhookEndpointDto) {
    const { webhookEndpoints } = await this.services();
    return toEndpointWithSecretResponse(await webhookEndpoints.create(principalOf(request), query.appId, body));
  }

  @Get()
  async list(@Req() request: Request, @Query() query: AppScopeQueryDto) {
    const { webhookEndpoints } = await this.services();
    return { items: (await webhookEndpoints.list(principalOf(request), query.appId)).map(toEndpointResponse) };
  }

  @Get(':id')
  async get(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string) {
    const { webhookEndpoints } = await this.services();
    return toEndpointResponse(await webhookEndpoints.get(principalOf(request), query.appId, id));
  }

  @Patch(':id')
  async update(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string, @Body() body: UpdateWebhookEndpointDto) {
    const { webhookEndpoints } = await this.services();
    return toEndpointResponse(await webhookEndpoints.update(principalOf(request), query.appId, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string): Promise<void> {
    const { webhookEndpoints } = await this.services();
    await webhookEndpoints.delete(principalOf(request), query.appId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string, @Body() body: RotateSecretDto) {
    const { webhookEndpoints } = await this.services();
    return toEndpointWithSecretResponse(await webhookEndpoints.rotateSecret(principalOf(request), query.appId, id, body.overlapHours));
  }
}
