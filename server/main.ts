// Process entry for the api: config -> db -> migrate -> listen.
import { loadConfigOrExit } from './platform/config.ts'
import { createLogger } from './platform/logger.ts'
import { startServer } from './server.ts'

const config = loadConfigOrExit()
const logger = createLogger(config.LOG_LEVEL, { service: 'api' })

try {
  const running = await startServer(config, logger)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      running.stop().then(
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
