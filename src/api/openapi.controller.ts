import { Controller, Get, Header } from '@nestjs/common';
// Imported, not read from disk: the Lambda bundle inlines it, and dist/ reads it from the package.
import openApiDocument from '../../docs/openapi.json' with { type: 'json' };

// GET /api/v1/openapi.json — the API's description, public like the docs it is (no X-API-Key).
@Controller('api/v1')
export class OpenApiController {
  @Get('openapi.json')
  @Header('Cache-Control', 'public, max-age=300')
  document() {
    return openApiDocument;
  }
}
