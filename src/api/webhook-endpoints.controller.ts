import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { WebhookEndpointsService } from '../services/webhook-endpoints.service.js';
import { ApiKeyGuard, principalOf } from './api-key.guard.js';
import { AppScopeQueryDto, CreateWebhookEndpointDto, RotateSecretDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import { toEndpointResponse, toEndpointWithSecretResponse } from './webhook.response.js';

// An app's outbound webhook endpoints (ADR 0019), under its own X-API-Key.
@Controller('api/v1/webhook-endpoints')
@UseGuards(ApiKeyGuard)
export class WebhookEndpointsController {
  constructor(@Inject(WebhookEndpointsService) private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  async create(@Req() request: Request, @Query() query: AppScopeQueryDto, @Body() body: CreateWebhookEndpointDto) {
    return toEndpointWithSecretResponse(await this.endpoints.create(principalOf(request), query.appId, body));
  }

  @Get()
  async list(@Req() request: Request, @Query() query: AppScopeQueryDto) {
    return { items: (await this.endpoints.list(principalOf(request), query.appId)).map(toEndpointResponse) };
  }

  @Get(':id')
  async get(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string) {
    return toEndpointResponse(await this.endpoints.get(principalOf(request), query.appId, id));
  }

  @Patch(':id')
  async update(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string, @Body() body: UpdateWebhookEndpointDto) {
    return toEndpointResponse(await this.endpoints.update(principalOf(request), query.appId, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string): Promise<void> {
    await this.endpoints.delete(principalOf(request), query.appId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(@Req() request: Request, @Query() query: AppScopeQueryDto, @Param('id') id: string, @Body() body: RotateSecretDto) {
    return toEndpointWithSecretResponse(await this.endpoints.rotateSecret(principalOf(request), query.appId, id, body.overlapHours));
  }
}
