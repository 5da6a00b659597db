// Drill 2: a worker is SIGKILLed in the middle of an ingest or embed job. The
// job's heartbeat stops, pg-boss fails it for a retry, another worker picks it
// up; every video ends ready with its chunks once, nothing lost.
import { basename } from 'node:path'
import { createWorkerProcesses } from '../../jobs/supervisor/workerProcesses.ts'
import type { Config } from '../../server/platform/config.ts'
import type { Sql } from '../../server/platform/db.ts'
import type { JobQueue } from '../../server/platform/jobQueue.ts'
import type { Logger } from '../../server/platform/logger.ts'
import { readQueueCounts } from '../../server/platform/queueMetrics.ts'
import { LONG_TRANSCRIPTS } from '../seedCollection.ts'
import { drillReport, type DrillResult } from './drillResult.ts'
import { backlogOutcome, enqueueTranscripts } from './transcriptBacklog.ts'

export type WorkerKillOptions = {
  databaseUrl: string
  sql: Sql
  queue: JobQueue
  config: Config
  logger: Logger
  target: { collectionId: string; userId: string }
  videos: number
  timeoutMs: number
}

async function until(timeoutMs: number, ok: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await ok()) return true
    await Bun.sleep(200)
  }
  return false
}

export async function workerKillDrill(o: WorkerKillOptions): Promise<DrillResult> {
  const report = drillReport('worker SIGKILL mid-job')
  // The long talks: ingest and embed take long enough to be caught running.
  const videoIds = await enqueueTranscripts(
    { sql: o.sql, queue: o.queue, config: o.config },
    o.target,
    o.videos,
    LONG_TRANSCRIPTS.map((f) => basename(f)),
  )
  report.count('videos', videoIds.length)
  const workers = createWorkerProcesses({
    logger: o.logger,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '1',
      SHUTDOWN_TIMEOUT_MS: '5000',
      DATABASE_URL: o.databaseUrl,
    },
    shutdownTimeoutMs: 5000,
  })
  const activeJob = async () =>
    (
      await o.sql<
        { id: string; name: string }[]
      >`select id, name from pgboss.job where name in ('ingest', 'embed') and state = 'active' and data->>'videoId' = any(${videoIds}) limit 1`
    )[0] ?? null
  try {
    workers.scaleTo(1)
    let victim: { id: string; name: string } | null = null
    const caught = await until(o.timeoutMs, async () => (victim = await activeJob()) !== null)
    if (!caught) {
      // Say what the queue and the worker did instead, so a failure can be read from its line.
      const states = await o.sql<{ name: string; state: string; n: number }[]>`
        select name, state::text as state, count(*)::int as n from pgboss.job
         where data->>'videoId' = any(${videoIds}) group by 1, 2 order by 1, 2`
      report.check(
        false,
        `no job was ever seen running (jobs ${states.map((r) => `${r.name}:${r.state}=${r.n}`).join(' ') || 'none'}; workers running ${workers.running()}, exited unexpectedly ${workers.unexpectedExits()})`,
      )
    }
    if (!caught || !victim) return report.result()
    const job: { id: string; name: string } = victim
    const [killed] = workers.list()
    process.kill(killed!.pid, 'SIGKILL')
    const killedAt = Date.now()
    report.count('killedJob', job.name)
    await until(10_000, async () => workers.running() === 0)
    workers.scaleTo(1) // what the supervisor's next check does
    // Reclaimed: pg-boss took the job back from the dead worker (a retry counted) and it ran again or finished.
    // Meanwhile kt_queue_stalled shows it once its heartbeat is overdue, until the next supervise pass
    // (a window of up to 15 s, so it is reported, not required).
    let stalledSeen = 0
    const reclaimed = await until(o.timeoutMs, async () => {
      const [row] = await o.sql<
        { state: string; retryCount: number }[]
      >`select state::text as state, retry_count from pgboss.job where id = ${job.id}`
      if (row!.retryCount > 0) return true
      stalledSeen = Math.max(stalledSeen, (await readQueueCounts(o.sql)).get(job.name)?.stalled ?? 0)
      return false
    })
    report.count('reclaimedInS', Math.round((Date.now() - killedAt) / 1000))
    report.count('stalledSeen', stalledSeen)
    report.check(reclaimed, 'the killed job was never taken back for a retry')
    const done = await until(o.timeoutMs, async () => {
      const [row] = await o.sql<
        { n: number }[]
      >`select count(*)::int as n from videos where id = any(${videoIds}) and status in ('queued', 'processing')`
      return row!.n === 0
    })
    report.check(done, 'videos still queued or processing at the timeout')
    report.count('doneInS', Math.round((Date.now() - killedAt) / 1000))
  } finally {
    await workers.stopAll()
  }
  const outcome = await backlogOutcome(o.sql, videoIds)
  report.count('ready', outcome.statuses.ready ?? 0)
  report.count('duplicateChunks', outcome.duplicateChunks)
  report.check((outcome.statuses.ready ?? 0) === videoIds.length, `not every video ready: ${JSON.stringify(outcome.statuses)}`)
  report.check(outcome.duplicateChunks === 0, `${outcome.duplicateChunks} duplicated chunks`)
  report.check(outcome.videosWithoutChunks === 0, `${outcome.videosWithoutChunks} ready videos without chunks`)
  return report.result()
}
