import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../domain/errors.js';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_INIT_SCRIPT, DOCS_PAGE, isSwaggerUiFile, SWAGGER_UI_FILES, swaggerUiFile } from './api-docs.js';

// GET /docs — Swagger UI over GET /api/v1/openapi.json; public, like the document.
@Controller('docs')
export class DocsController {
  @Get()
  @Header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY)
  page(@Req() req: Request, @Res() res: Response): void {
    // The page's relative links need /docs, not /docs/ (a relative redirect keeps the stage prefix).
    if (req.path.endsWith('/')) return res.redirect(301, '../docs');
    res.type('html').setHeader('Cache-Control', 'public, max-age=300');
    res.send(DOCS_PAGE);
  }

  @Get('init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  init(): string {
    return DOCS_INIT_SCRIPT;
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!isSwaggerUiFile(file)) throw new DomainError('NOT_FOUND', `No such documentation file: ${file.slice(0, 64)}`);
    res.setHeader('Content-Type', SWAGGER_UI_FILES[file]);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(swaggerUiFile(file));
  }
}
