// Process entry for the worker supervisor (`bun jobs/supervisor.ts`, the
// `knowledgetree-workers` systemd unit): keeps WORKERS_MIN..WORKERS_MAX worker
// processes on this host, scaled by the ready jobs in pg-boss's table. See
// docs/SCALING.md.
import { loadConfigOrExit } from '../server/platform/config.ts'
import { connectionShare, logConnectionBudget } from '../server/platform/connectionBudget.ts'
import { findDatabaseUrl } from '../server/platform/database.ts'
import { createSql } from '../server/platform/db.ts'
import { createLogger } from '../server/platform/logger.ts'
import { startMetricsServer } from '../server/platform/metricsServer.ts'
import { readReadyJobs } from '../server/platform/queueMetrics.ts'
import { createTelemetry } from '../server/platform/telemetry.ts'
import { createCloudWatchPublisher, PUBLISH_INTERVAL_MS } from './supervisor/cloudWatch.ts'
import { startSupervisor } from './supervisor/runSupervisor.ts'
import { createWorkerProcesses } from './supervisor/workerProcesses.ts'

const config = loadConfigOrExit()
const logger = createLogger(config.LOG_LEVEL, { service: 'supervisor' })
const telemetry = createTelemetry('knowledgetree-supervisor')

// Without DATABASE_URL the api owns the embedded database; wait for it.
let url = findDatabaseUrl(config)
for (let i = 0; !url && i < 120; i++) {
  await Bun.sleep(500)
  url = findDatabaseUrl(config)
}
if (!url) {
  logger.error('no database: set DATABASE_URL, or start the api first so it serves the embedded one')
  process.exit(1)
}

const sql = createSql(url, { max: 1, applicationName: 'knowledgetree-supervisor' })
const perWorker = connectionShare('worker', config).total
await logConnectionBudget(sql, logger, connectionShare('supervisor', config), {
  label: 'connectionsAtWorkersMax',
  connections: 1 + config.WORKERS_MAX * perWorker,
})
const workers = createWorkerProcesses({
  logger,
  env: { ...process.env, DATABASE_URL: url },
  metricsPortBase: config.WORKER_METRICS_PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
})
const metrics =
  config.SUPERVISOR_METRICS_PORT === undefined
    ? null
    : startMetricsServer({
        telemetry,
        host: config.METRICS_HOST,
        port: config.SUPERVISOR_METRICS_PORT,
        token: config.METRICS_TOKEN ?? null,
        targets: () => workers.metricsPorts(),
      })
const settings = {
  min: config.WORKERS_MIN,
  max: config.WORKERS_MAX,
  scaleUpAt: config.WORKERS_SCALE_UP_AT,
  cooldownMs: config.WORKERS_COOLDOWN_SECONDS * 1000,
}
const supervisor = startSupervisor({
  readBacklog: () => readReadyJobs(sql),
  workers,
  settings,
  checkIntervalMs: config.WORKERS_CHECK_SECONDS * 1000,
  logger,
  meter: telemetry.meter,
})
const cloudWatch = config.CLOUDWATCH_NAMESPACE
  ? createCloudWatchPublisher(
      {
        namespace: config.CLOUDWATCH_NAMESPACE,
        endpoint: config.CLOUDWATCH_ENDPOINT,
        region: config.CLOUDWATCH_REGION,
        autoScalingGroup: config.CLOUDWATCH_AUTOSCALING_GROUP,
      },
      logger,
    )
  : null
const publishing = cloudWatch ? setInterval(() => void cloudWatch.publish(supervisor.state()), PUBLISH_INTERVAL_MS) : null
logger.info('supervisor started', {
  ...settings,
  checkSeconds: config.WORKERS_CHECK_SECONDS,
  metrics: metrics ? `${metrics.url}/metrics` : null,
  cloudWatch: config.CLOUDWATCH_NAMESPACE ?? null,
})

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    if (publishing) clearInterval(publishing)
    cloudWatch?.stop()
    await supervisor.stop()
    await sql.end({ timeout: 5 })
    await metrics?.stop()
    await telemetry.shutdown()
    logger.info('supervisor stopped')
    process.exit(0)
  })
}
