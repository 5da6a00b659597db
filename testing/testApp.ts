// An app wired to a fresh test database and a real job queue, called through
// `app.handle(new Request(…))` without opening a port.
import { createApp, type App } from '../server/app.ts'
import { createSql, type Sql } from '../server/platform/db.ts'
import { loadConfig, type Config } from '../server/platform/config.ts'
import { createLogger, type Logger } from '../server/platform/logger.ts'
import { rememberSocketIp } from '../server/platform/requestContext.ts'
import { createStreamAccess, type StreamAccess } from '../server/platform/streamAccess.ts'
import { streamOwnerCheck } from '../server/auth/streamOwnerCheck.ts'
import { createSessionCache, type SessionCache } from '../server/auth/sessionCache.ts'
import { startJobQueue, type JobQueue } from '../server/platform/jobQueue.ts'
import { createStreamHub, type StreamHub } from '../server/generation/streamHub.ts'
import { settleStream } from '../server/streamOwners.ts'
import { createProgressHub } from '../server/videos/progressHub.ts'
import { caller } from './factories.ts'
import { createTestDatabase, type TestDatabase } from './testDatabase.ts'

/** Who a test acts as: anything with a bearer header (see factories.ts). */
type Caller = { bearer: Record<string, string> }
type CallInit = RequestInit & { json?: unknown }

export type TestApp = {
  app: App
  db: TestDatabase
  queue: JobQueue
  streams: StreamHub
  access: StreamAccess
  sessions: SessionCache
  config: Config
  logger: Logger
  logs: string[]
  /** Calls the app (or `app`, e.g. a second instance) as `user`; `json` sets the body and its content type. */
  call(user: Caller, path: string, init?: CallInit, app?: { handle(request: Request): Promise<Response> }): Promise<Response>
  close(): Promise<void>
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase()
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: db.url,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ...env,
  })
  const logs: string[] = []
  const logger = createLogger('debug', { service: 'test' }, (line) => logs.push(line))
  const queue = await startJobQueue({ url: db.url, logger, max: 2 })
  const hub = createProgressHub(db.sql, { mode: 'listen', logger })
  const streams = createStreamHub(db.sql, { mode: 'listen', logger, settle: settleStream(db.sql) })
  const access = createStreamAccess(db.sql, { mode: 'listen', logger, check: streamOwnerCheck(db.sql) })
  const sessions = createSessionCache(db.sql, { mode: 'listen', logger })
  const app = createApp({ config, sql: db.sql, logger, queue, hub, streams, access, sessions })
  return {
    app,
    db,
    queue,
    streams,
    access,
    sessions,
    config,
    logger,
    logs,
    call: (user, path, init = {}, target = app) => caller(target)(user, path, init),
    async close() {
      await hub.close()
      await streams.shutdown()
      await access.shutdown()
      await sessions.shutdown()
      await queue.stop({ timeoutMs: 1000 })
      await db.drop()
    },
  }
}

/** `peer` is the socket address the request seems to come from (as Bun.serve would record it). */
export function request(path: string, init: RequestInit & { json?: unknown; peer?: string } = {}): Request {
  const { json, peer, ...rest } = init
  const headers = new Headers(rest.headers)
  if (json !== undefined) headers.set('content-type', 'application/json')
  const req = new Request(`http://localhost${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body })
  rememberSocketIp(req, peer)
  return req
}

/**
 * Another api instance on the same database: its own pool, hubs and LISTEN
 * connections. `recheckMs`: how often its stream access re-checks (long: streams
 * end only by a delivered revocation). `poolerUrl`: its queries go through a
 * transaction-mode pooler (PgBouncer) at that URL.
 */
export async function createSecondInstance(
  ctx: TestApp,
  env: Record<string, string> = {},
  options: { leaseSeconds?: number; recheckMs?: number; poolerUrl?: string } = {},
): Promise<{ app: App; access: StreamAccess; sessions: SessionCache; sql: Sql; streams: StreamHub; close(): Promise<void> }> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', DATABASE_URL: ctx.db.url, JWT_SECRET: ctx.config.JWT_SECRET!, ...env })
  // With a pooler, wired as server.ts wires DATABASE_POOLER_URL: queries through it, LISTEN direct.
  const sql = options.poolerUrl ? createSql(options.poolerUrl, { max: 4, directUrl: ctx.db.url }) : createSql(ctx.db.url, { max: 4 })
  const hub = createProgressHub(sql, { mode: 'listen', logger: ctx.logger })
  const streams = createStreamHub(sql, {
    mode: 'listen',
    logger: ctx.logger,
    settle: settleStream(sql),
    leaseSeconds: options.leaseSeconds,
  })
  const access = createStreamAccess(sql, { mode: 'listen', logger: ctx.logger, check: streamOwnerCheck(sql), recheckMs: options.recheckMs })
  const sessions = createSessionCache(sql, { mode: 'listen', logger: ctx.logger })
  const app = createApp({ config, sql, logger: ctx.logger, queue: ctx.queue, hub, streams, access, sessions })
  return {
    app,
    access,
    sessions,
    sql,
    streams,
    async close() {
      await hub.close()
      await streams.shutdown()
      await access.shutdown()
      await sessions.shutdown()
      await sql.end({ timeout: 1 })
    },
  }
}
