// Drill 5: a backlog of ingest jobs makes the supervisor scale real worker
// processes up to the maximum, and back down to the minimum once the backlog
// has been gone for the cooldown; every video ends ready, no chunk twice, no
// job handed back. `make drills` runs it with 500 jobs; `make test` with a
// small backlog and a one-second cooldown (supervisorScaling.test.ts).
import { startSupervisor } from '../../jobs/supervisor/runSupervisor.ts'
import { createWorkerProcesses } from '../../jobs/supervisor/workerProcesses.ts'
import type { Config } from '../../server/platform/config.ts'
import type { Sql } from '../../server/platform/db.ts'
import type { JobQueue } from '../../server/platform/jobQueue.ts'
import type { Logger } from '../../server/platform/logger.ts'
import { readReadyJobs } from '../../server/platform/queueMetrics.ts'
import { drillReport, type DrillResult } from './drillResult.ts'
import { backlogOutcome, enqueueTranscripts } from './transcriptBacklog.ts'

export type ScalingDrillOptions = {
  databaseUrl: string
  sql: Sql
  queue: JobQueue
  config: Config
  logger: Logger
  target: { collectionId: string; userId: string }
  jobs: number
  min: number
  max: number
  cooldownMs: number
  checkIntervalMs?: number
  /** Gives up (FAIL) after this long. */
  timeoutMs: number
  /** Environment of the worker processes on top of DATABASE_URL. */
  workerEnv?: Record<string, string>
}

// `_what` names the condition at the call site, for the reader.
async function until(_what: string, timeoutMs: number, ok: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await ok()) return true
    await Bun.sleep(100)
  }
  return false
}

export async function scalingDrill(o: ScalingDrillOptions): Promise<DrillResult> {
  const report = drillReport('supervisor scaling')
  const started = Date.now()
  const videoIds = await enqueueTranscripts({ sql: o.sql, queue: o.queue, config: o.config }, o.target, o.jobs)
  report.count('jobs', videoIds.length)
  const workers = createWorkerProcesses({
    logger: o.logger,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '2',
      SHUTDOWN_TIMEOUT_MS: '10000',
      ...o.workerEnv,
      DATABASE_URL: o.databaseUrl,
    },
    shutdownTimeoutMs: 10_000,
  })
  const supervisor = startSupervisor({
    readBacklog: () => readReadyJobs(o.sql),
    workers,
    settings: { min: o.min, max: o.max, scaleUpAt: 10, cooldownMs: o.cooldownMs },
    checkIntervalMs: o.checkIntervalMs ?? 500,
    logger: o.logger,
  })
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, workers.running())), 50)
  try {
    const reachedMax = await until('max workers', o.timeoutMs, () => workers.running() >= o.max)
    report.check(reachedMax, `workers never reached the maximum of ${o.max}`)
    const drained = await until('backlog drained', o.timeoutMs - (Date.now() - started), async () => {
      const [row] = await o.sql<
        { n: number }[]
      >`select count(*)::int as n from videos where id = any(${videoIds}) and status in ('queued', 'processing')`
      return row!.n === 0
    })
    report.check(drained, 'the backlog did not drain in time')
    report.count('drainedInS', Math.round((Date.now() - started) / 1000))
    const backDown = await until(
      'back to min',
      o.cooldownMs + 60_000,
      () => supervisor.state().desired === o.min && workers.running() === o.min && workers.stopping() === 0,
    )
    report.check(
      backDown,
      `workers did not return to the minimum of ${o.min} after the cooldown (running ${workers.running()}, stopping ${workers.stopping()})`,
    )
  } finally {
    clearInterval(sampler)
    await supervisor.stop()
  }
  const outcome = await backlogOutcome(o.sql, videoIds)
  const [retried] = await o.sql<
    { n: number }[]
  >`select count(*)::int as n from pgboss.job where name = 'ingest' and data->>'videoId' = any(${videoIds}) and retry_count > 0`
  report.count('peakWorkers', peak)
  report.count('ready', outcome.statuses.ready ?? 0)
  report.count('notReady', videoIds.length - (outcome.statuses.ready ?? 0))
  report.count('duplicateChunks', outcome.duplicateChunks)
  report.count('jobsRetried', retried!.n)
  report.count('unexpectedWorkerExits', workers.unexpectedExits())
  report.check(peak === o.max, `peak workers ${peak}, expected ${o.max}`)
  report.check(
    (outcome.statuses.ready ?? 0) === videoIds.length,
    `${videoIds.length - (outcome.statuses.ready ?? 0)} videos not ready: ${JSON.stringify(outcome.statuses)}`,
  )
  report.check(outcome.duplicateChunks === 0, `${outcome.duplicateChunks} duplicated chunks`)
  report.check(outcome.videosWithoutChunks === 0, `${outcome.videosWithoutChunks} ready videos without chunks`)
  report.check(retried!.n === 0, `${retried!.n} ingest jobs ran more than once`)
  report.check(workers.unexpectedExits() === 0, `${workers.unexpectedExits()} workers died`)
  report.count('tookS', Math.round((Date.now() - started) / 1000))
  return report.result()
}
