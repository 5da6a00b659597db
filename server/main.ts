// Process entry for the api: config -> db -> migrate -> listen. The one place
// that composes the api with the web app, so nothing else in server/ imports client/.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { createDevProxyHandler } from '../client/devProxy.ts'
import { createWebHandler } from '../client/serve.ts'
import { loadConfigOrExit, type Config } from './platform/config.ts'
import { browserErrorReporting, startErrorReporting } from './platform/errorReporting.ts'
import { fetchLimitWarning } from './platform/fetchLimit.ts'
import { createLogger, type Logger } from './platform/logger.ts'
import { startTracing } from './platform/tracing.ts'
import { startServer, type WebHandler } from './server.ts'

const config = loadConfigOrExit()
const logger = createLogger(config.LOG_LEVEL, { service: 'api' })
// Before anything else, so the first request is traced.
const tracing = startTracing(config, 'knowledgetree-api')
const errors = startErrorReporting(config, 'api')
const fetchWarning = fetchLimitWarning()
if (fetchWarning) logger.warn(fetchWarning.message, { limit: fetchWarning.limit, fix: fetchWarning.fix })

async function loadWebHandler(config: Config, logger: Logger): Promise<WebHandler | null> {
  // Set by `make dev WATCH=1` (scripts/dev.ts): pages come from Vite's dev server.
  const viteUrl = process.env.KT_DEV_WEB_URL
  if (viteUrl && config.NODE_ENV !== 'production') return createDevProxyHandler(viteUrl)
  const dist = resolve(config.WEB_DIST_DIR)
  if (!existsSync(dist)) {
    logger.warn('web app not built; only the API is served', { expected: dist, fix: 'run `make build`' })
    return null
  }
  return createWebHandler(dist, { errorReporting: browserErrorReporting(config) })
}

try {
  const running = await startServer(config, logger, { web: await loadWebHandler(config, logger) })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      running
        .stop()
        .then(() => tracing?.shutdown())
        .then(() => errors?.close())
        .then(
          () => process.exit(0),
          (err) => {
            logger.error('shutdown failed', { err })
            process.exit(1)
          },
        )
    })
  }
} catch (err) {
  logger.error('api failed to start', { err })
  process.exit(1)
}
