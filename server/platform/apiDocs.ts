// The interactive API reference at /api/docs: Swagger UI from the pinned
// `swagger-ui-dist` npm package, served by the app itself (no CDN, nothing
// third-party runs on our origin) under a CSP that lets the page run only
// these files and talk only to this origin. The OpenAPI document it reads,
// /api/openapi.json, is public whether or not the page is served.
import { dirname, join } from 'node:path'
import { Elysia, t } from 'elysia'
import { NotFoundError } from './errors.ts'

const DIST = dirname(require.resolve('swagger-ui-dist/package.json'))
const ASSETS_DIR = join(import.meta.dir, 'apiDocsAssets')
// Only these files, by name: the route never maps a request path onto the disk.
const ASSETS: Record<string, { path: string; type: string }> = {
  'swagger-ui-bundle.js': { path: join(DIST, 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { path: join(DIST, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  'start.js': { path: join(ASSETS_DIR, 'start.js'), type: 'text/javascript; charset=utf-8' },
}

export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>KnowledgeTree API</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/assets/start.js"></script>
  </body>
</html>
`

export function apiDocsRoutes() {
  return new Elysia({ name: 'api-docs' })
    .get(
      '/api/docs',
      () =>
        new Response(PAGE, {
          headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DOCS_CSP, 'cache-control': 'no-cache' },
        }),
      {
        detail: { hide: true },
      },
    )
    .get(
      '/api/docs/assets/:file',
      ({ params }) => {
        const asset = ASSETS[params.file]
        if (!asset) throw new NotFoundError('File')
        return new Response(Bun.file(asset.path), { headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' } })
      },
      { params: t.Object({ file: t.String({ maxLength: 64 }) }), detail: { hide: true } },
    )
}
