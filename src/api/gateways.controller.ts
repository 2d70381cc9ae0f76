import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { GatewayRegistry } from '../gateways/registry.js';
import { ApiKeyGuard } from './api-key.guard.js';

// GET /api/v1/gateways — what a checkout page needs to offer payment methods without
// hard-coding providers: the gateways configured here and what each can do HERE — each gateway's
// own capabilities, e.g. KkiaPay lists 'push' only when KKIAPAY_PUSH_PATH is set (ADR 0017).
@Controller('api/v1/gateways')
@UseGuards(ApiKeyGuard)
export class GatewaysController {
  constructor(@Inject(GatewayRegistry) private readonly registry: GatewayRegistry) {}

  @Get()
  async list() {
    return {
      gateways: (await this.registry.configured()).map(({ id, capabilities }) => ({
        id,
        countries: capabilities.countries,
        currencies: capabilities.currencies,
        flows: capabilities.flows,
        refund: capabilities.refund,
        disburse: capabilities.disburse,
      })),
    };
  }
}
