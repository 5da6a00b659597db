// Process entry for the worker: runs the pg-boss consumers until SIGTERM/SIGINT,
// then lets running jobs finish (or expire and be retried elsewhere).
import { loadConfigOrExit } from '../server/platform/config.ts'
import { findDatabaseUrl } from '../server/platform/database.ts'
import { connectionShare, logConnectionBudget, QUEUE_POOL_MAX, workerPoolMax } from '../server/platform/connectionBudget.ts'
import { createSql } from '../server/platform/db.ts'
import { createLogger } from '../server/platform/logger.ts'
import { handlers } from './handlers.ts'
import { scheduleRechunks } from './queues/rechunk.ts'
import { scheduleReembeds } from './queues/reembed.ts'
import { startJobQueue } from '../server/platform/jobQueue.ts'
import { startMetricsServer } from '../server/platform/metricsServer.ts'
import { observeQueues } from '../server/platform/queueMetrics.ts'
import { createTelemetry } from '../server/platform/telemetry.ts'
import { startTracing } from '../server/platform/tracing.ts'
import { startErrorReporting } from '../server/platform/errorReporting.ts'
import { startWorker } from './worker.ts'
import { createWorkerMetrics } from './workerMetrics.ts'

const config = loadConfigOrExit()
const logger = createLogger(config.LOG_LEVEL, { service: 'worker' })
const tracing = startTracing(config, 'knowledgetree-worker')
const errors = startErrorReporting(config, 'worker')
const telemetry = createTelemetry('knowledgetree-worker')

// Without DATABASE_URL the api owns the embedded database; wait for it.
let url = findDatabaseUrl(config)
for (let i = 0; !url && i < 120; i++) {
  if (i === 0) logger.info('waiting for the api to start the embedded database')
  await Bun.sleep(500)
  url = findDatabaseUrl(config)
}
if (!url) {
  logger.error('no database: set DATABASE_URL, or start the api first so it serves the embedded one')
  process.exit(1)
}

const sql = createSql(url, { max: workerPoolMax(config), applicationName: 'knowledgetree-worker', meter: telemetry.meter })
await logConnectionBudget(sql, logger, connectionShare('worker', config))
observeQueues(telemetry.meter, sql)
const metrics =
  config.WORKER_METRICS_PORT === undefined
    ? null
    : startMetricsServer({ telemetry, host: config.METRICS_HOST, port: config.WORKER_METRICS_PORT, token: config.METRICS_TOKEN ?? null })
const queue = await startJobQueue({ url, logger, schedule: true, max: QUEUE_POOL_MAX.worker })
await startWorker({
  queue,
  sql,
  logger,
  config,
  handlers,
  concurrency: config.WORKER_CONCURRENCY,
  metrics: createWorkerMetrics(telemetry.meter),
})
logger.info('worker started', {
  queues: Object.keys(handlers),
  metrics: metrics ? `${metrics.url}/metrics` : null,
  tracing: tracing !== null,
  errorReporting: errors !== null,
})
// An embedding-model change in the config takes effect from here, in the background.
const reembeds = await scheduleReembeds(sql, queue, config)
if (reembeds) logger.info('re-embedding collections for the new embedding model', { collections: reembeds })
// So is a new chunker version (the rest of a large backlog follows with maintenance).
const rechunks = await scheduleRechunks(sql, queue)
if (rechunks) logger.info('re-chunking videos made by an older chunker', { videos: rechunks })

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    logger.info('worker stopping; letting running jobs finish', { timeoutMs: config.SHUTDOWN_TIMEOUT_MS })
    await queue.stop({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS })
    await sql.end({ timeout: 5 })
    await metrics?.stop()
    await tracing?.shutdown().catch((err) => logger.warn('flushing traces failed', { err }))
    await errors?.close()
    process.exit(0)
  })
}
