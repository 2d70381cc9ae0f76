import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Swagger UI's files from the swagger-ui-dist package (no CDN). The Lambda bundle has them in
// swagger-ui/ beside index.mjs (scripts/bundle-lambdas.mjs copies them); dist/ and tests read
// them from node_modules. Read on first request only: the API's cold start never pays for them.
export const SWAGGER_UI_FILES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;
export type SwaggerUiFile = keyof typeof SWAGGER_UI_FILES;

export const isSwaggerUiFile = (name: string): name is SwaggerUiFile => Object.hasOwn(SWAGGER_UI_FILES, name);

const cache = new Map<SwaggerUiFile, Buffer>();

export function swaggerUiFile(name: SwaggerUiFile): Buffer {
  let content = cache.get(name);
  if (!content) {
    content = readFileSync(join(swaggerUiDirectory(), name));
    cache.set(name, content);
  }
  return content;
}

function swaggerUiDirectory(): string {
  const besideBundle = join(dirname(fileURLToPath(import.meta.url)), 'swagger-ui');
  if (existsSync(join(besideBundle, 'swagger-ui.css'))) return besideBundle;
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

// Relative URLs throughout: behind API Gateway the page is /<stage>/docs, locally /docs.
export const DOCS_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>TKH Payments API</title>
    <link rel="stylesheet" href="docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="docs/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

// A file, not an inline script, so the page's Content-Security-Policy can forbid inline scripts.
export const DOCS_INIT_SCRIPT = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: 'api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' });
};
`;

export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
