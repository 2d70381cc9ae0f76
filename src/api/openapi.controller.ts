import { Controller, Get, Header, Inject } from '@nestjs/common';
// Imported, not read from disk: the Lambda bundle inlines it, and dist/ reads it from the package.
import openApiDocument from '../../docs/openapi.json' with { type: 'json' };
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

// GET /api/v1/openapi.json — the API's description, public like the docs it is (no X-API-Key).
// Its server is this deployment's own PUBLIC_BASE_URL, so "Try it out" calls this service.
@Controller('api/v1')
export class OpenApiController {
  private readonly document: object;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.document = { ...openApiDocument, servers: [{ url: config.publicBaseUrl, description: `this service (${config.stage})` }] };
  }

  @Get('openapi.json')
  @Header('Cache-Control', 'public, max-age=300')
  openApi() {
    return this.document;
  }
}
