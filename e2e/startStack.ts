// Boots the whole product for browser tests, in this process: a fresh
// Postgres database cloned from the migrated template, the api (which serves
// the built web app) on a free port, a worker running the real job handlers,
// a local SMTP server that keeps every email, and the Anthropic emulator.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { handlers } from '../jobs/handlers.ts'
import { startJobQueue, type JobQueue } from '../server/platform/jobQueue.ts'
import { startWorker } from '../jobs/worker.ts'
import { loadConfig } from '../server/platform/config.ts'
import { createLogger } from '../server/platform/logger.ts'
import { browserErrorReporting } from '../server/platform/errorReporting.ts'
import { createWebHandler } from '../client/serve.ts'
import { startServer, type RunningServer } from '../server/server.ts'
import { startAnthropicEmulator, type AnthropicEmulator } from '../testing/anthropic/emulator.ts'
import { startTestSmtp, type TestSmtp } from '../testing/smtpServer.ts'
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts'

export const REPO = resolve(import.meta.dir, '..')
export const WEB_DIST_DIR = join(REPO, 'client', '.output')

export type Stack = {
  /** What the browser opens: http://localhost:<port> (cookies are __Host-/Secure; localhost counts as secure). */
  url: string
  db: TestDatabase
  smtp: TestSmtp
  anthropic: AnthropicEmulator
  logs: string[]
  stop(): Promise<void>
}

export function assertClientBuilt(): void {
  if (!existsSync(join(WEB_DIST_DIR, 'server', 'entry-server.js'))) {
    throw new Error(
      `The web app is not built (${WEB_DIST_DIR} is missing). Build it first: ` +
        '`make build`, or `cd client && ../node_modules/.bin/bun --bun ../node_modules/.bin/vite build`.',
    )
  }
}

// PUBLIC_URL must name the port before the server starts (it is the allowed
// Origin and goes into emailed links), so take a free one first.
function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

/**
 * `env` overrides the configuration; `{ ANTHROPIC_API_KEY: '' }` boots without a
 * language model (answers are extractive, as on a server with no key).
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  assertClientBuilt()
  const db = await createTestDatabase()
  const smtp = await startTestSmtp()
  const anthropic = await startAnthropicEmulator()
  const logs: string[] = []
  const logger = createLogger('warn', { service: 'e2e' }, (line) => logs.push(line))
  const port = freePort()
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    DATABASE_URL: db.url,
    JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789',
    SMTP_URL: smtp.url,
    WEB_DIST_DIR,
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_KEY: 'e2e-test-key',
    EMBEDDING_PROVIDER: 'local',
    SHUTDOWN_TIMEOUT_MS: '1000',
    ...env,
  })
  let server: RunningServer | null = null
  let queue: JobQueue | null = null
  const previousInternalUrl = process.env.KT_INTERNAL_API_URL
  const restoreInternalUrl = () => {
    if (previousInternalUrl === undefined) delete process.env.KT_INTERNAL_API_URL
    else process.env.KT_INTERNAL_API_URL = previousInternalUrl
  }
  try {
    server = await startServer(config, logger, {
      web: await createWebHandler(resolve(config.WEB_DIST_DIR), { errorReporting: browserErrorReporting(config) }),
    })
    // Several stacks can run in one `bun test` process; page code must call this one.
    process.env.KT_INTERNAL_API_URL = server.url
    queue = await startJobQueue({ url: db.url, logger, max: 3 })
    await startWorker({ queue, sql: db.sql, logger, config, handlers, concurrency: 2 })
  } catch (err) {
    restoreInternalUrl()
    await server?.stop()
    await Promise.all([smtp.stop(), anthropic.stop()])
    await db.drop()
    throw err
  }
  return {
    url: `http://localhost:${port}`,
    db,
    smtp,
    anthropic,
    logs,
    async stop() {
      await queue?.stop({ timeoutMs: 1000 }).catch(() => {})
      await server?.stop()
      restoreInternalUrl()
      await Promise.all([smtp.stop(), anthropic.stop()])
      await db.drop()
    },
  }
}
