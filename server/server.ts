// Boots one api process: database (real or embedded) -> migrations -> job queue
// -> HTTP. Returned `stop()` is the graceful shutdown: stop accepting, let
// in-flight requests finish (bounded), then close the queue and the pool.
import type { Server } from 'bun'
import { startJobQueue } from './platform/jobQueue.ts'
import { createApp } from './app.ts'
import type { Config } from './platform/config.ts'
import { openDatabase } from './platform/database.ts'
import { connectionShare, logConnectionBudget, QUEUE_POOL_MAX } from './platform/connectionBudget.ts'
import { createSql } from './platform/db.ts'
import { traceRequests } from './platform/httpTracing.ts'
import { startMetricsServer } from './platform/metricsServer.ts'
import { observeQueues } from './platform/queueMetrics.ts'
import { createTelemetry } from './platform/telemetry.ts'
import type { Logger } from './platform/logger.ts'
import { runMigrations } from './platform/migrations.ts'
import { problemResponse } from './platform/problem.ts'
import { rememberSocketIp } from './platform/requestContext.ts'
import { withSecurityHeaders } from './platform/securityHeaders.ts'
import { createStreamAccess } from './platform/streamAccess.ts'
import { createSessionCache } from './auth/sessionCache.ts'
import { observeActiveUsers } from './auth/activeUsers.ts'
import { streamOwnerCheck } from './auth/streamOwnerCheck.ts'
import { createStreamHub } from './generation/streamHub.ts'
import { settleStream } from './streamOwners.ts'
import { createProgressHub } from './videos/progressHub.ts'

export type WebHandler = (request: Request) => Promise<Response> | Response
export type RunningServer = { url: string; databaseUrl: string; metricsUrl: string | null; stop(): Promise<void> }

const API_PATHS = /^\/(api(\/|$)|healthz$|readyz$|metrics$)/

/** `web` serves every non-API path (the built web app, composed in main.ts); null: API only. */
export async function startServer(config: Config, logger: Logger, options: { web: WebHandler | null }): Promise<RunningServer> {
  const { url: databaseUrl, embedded } = await openDatabase(config, logger)
  const telemetry = createTelemetry('knowledgetree-api')
  // Through a pooler the request queries share its server connections; LISTEN and
  // pg-boss (sessions of their own) stay on direct connections.
  const pooler = embedded ? undefined : config.DATABASE_POOLER_URL
  const sql = createSql(pooler ?? databaseUrl, {
    max: config.DB_POOL_MAX,
    applicationName: 'knowledgetree-api',
    meter: telemetry.meter,
    directUrl: pooler ? databaseUrl : undefined,
  })
  await runMigrations(sql, { logger })
  await logConnectionBudget(sql, logger, connectionShare('api', { ...config, DATABASE_POOLER_URL: pooler }))
  observeQueues(telemetry.meter, sql)
  observeActiveUsers(telemetry.meter, sql)
  const queue = await startJobQueue({ url: databaseUrl, logger, max: QUEUE_POOL_MAX.api })
  // The embedded database does not pass NOTIFYs between connections.
  const hub = createProgressHub(sql, { mode: embedded ? 'poll' : 'listen', logger })
  const streams = createStreamHub(sql, { mode: embedded ? 'poll' : 'listen', logger, settle: settleStream(sql) })
  const metricsOnSeparatePort = config.METRICS_PORT !== undefined
  const access = createStreamAccess(sql, { mode: embedded ? 'poll' : 'listen', logger, check: streamOwnerCheck(sql) })
  const sessions = createSessionCache(sql, { mode: embedded ? 'poll' : 'listen', logger })
  const app = createApp({ config, sql, logger, queue, hub, streams, access, sessions, telemetry, metricsOnSeparatePort })
  const { web } = options

  const hsts = config.NODE_ENV === 'production' && config.PUBLIC_URL.startsWith('https:')
  const server = Bun.serve({
    hostname: config.HOST,
    port: config.PORT,
    // Long enough for SSE between heartbeats; Bun's default (10 s) would cut streams.
    idleTimeout: 120,
    maxRequestBodySize: Math.max(config.BODY_LIMIT_BYTES, config.TRANSCRIPT_MAX_BYTES, config.AUDIO_MAX_BYTES) + 65_536,
    fetch: traceRequests(async (request: Request, srv: Server<undefined>) => {
      rememberSocketIp(request, srv.requestIP(request)?.address)
      const path = new URL(request.url).pathname
      const api = API_PATHS.test(path)
      let response: Response
      if (api || !web) {
        response = !api
          ? problemResponse({
              status: 404,
              code: 'web_not_built',
              title: 'Not found',
              detail: 'The web app is not built on this server; run `make build`.',
              requestId: crypto.randomUUID(),
            })
          : await app.handle(request)
      } else response = await web(request)
      // The docs page sets its own CSP (apiDocs.ts), which wins over the API's no-script one.
      return withSecurityHeaders(response, { api, hsts })
    }),
  })
  const metrics = metricsOnSeparatePort
    ? startMetricsServer({ telemetry, host: config.METRICS_HOST, port: config.METRICS_PORT!, token: config.METRICS_TOKEN ?? null })
    : null
  if (metrics) logger.info('metrics listening', { url: `${metrics.url}/metrics` })
  const url = `http://${config.HOST}:${server.port}`
  // Server-side page code calls the api through this, never through the Host
  // header of the incoming request (which a client controls).
  process.env.KT_INTERNAL_API_URL ??= url
  logger.info('api listening', { url, embeddedDatabase: embedded !== null })

  let stopping: Promise<void> | null = null
  return {
    url,
    databaseUrl,
    metricsUrl: metrics ? `${metrics.url}/metrics` : null,
    stop() {
      stopping ??= (async () => {
        logger.info('shutting down', { timeoutMs: config.SHUTDOWN_TIMEOUT_MS })
        // stop(false) closes the listener at once; in-flight requests keep going
        // and are tracked by pendingRequests, which we wait out (bounded). So are
        // answers still being generated whose client has gone: it will resume
        // on another instance (Last-Event-ID) and must find the answer finished.
        void server.stop(false)
        const deadline = performance.now() + config.SHUTDOWN_TIMEOUT_MS
        const busy = () => server.pendingRequests > 0 || streams.generating() > 0
        while (busy() && performance.now() < deadline) await Bun.sleep(25)
        if (busy()) {
          logger.warn('in-flight requests or answers did not finish in time; closing them', {
            pending: server.pendingRequests,
            generating: streams.generating(),
          })
          await server.stop(true)
        }
        await metrics?.stop()
        await hub.close()
        await streams.shutdown()
        await access.shutdown()
        await sessions.shutdown()
        await queue.stop({ timeoutMs: 5_000 }).catch((err) => logger.warn('queue stop failed', { err }))
        await sql.end({ timeout: 5 })
        await embedded?.stop()
        await telemetry.shutdown()
        logger.info('stopped')
      })()
      return stopping
    },
  }
}
