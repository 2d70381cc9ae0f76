import { Controller, Get, Header, Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

// GET /api/v1/openapi.json — the API's description, public like the docs it is (no X-API-Key).
// Its server is this deployment's own PUBLIC_BASE_URL, so "Try it out" calls this service.
// Imported, not read from disk: the Lambda bundle inlines it, and dist/ reads it from the package.
// Through import(), on the first request for it: in the bundle it is a chunk of its own (≈ 60 KB)
// that a cold start does not read (ADR 0020).
@Controller('api/v1')
export class OpenApiController {
  private document: Promise<object> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('openapi.json')
  @Header('Cache-Control', 'public, max-age=300')
  openApi(): Promise<object> {
    this.document ??= import('../../docs/openapi.json', { with: { type: 'json' } }).then(
      ({ default: openApiDocument }) => ({ ...openApiDocument, servers: [{ url: this.config.publicBaseUrl, description: `this service (${this.config.stage})` }] }),
      (error: unknown) => {
        this.document = undefined; // a failed read is tried again by the next request
        throw error;
      },
    );
    return this.document;
  }
}
