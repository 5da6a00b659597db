// Runs the queue handlers. A handler gets its payload plus the job's abort
// signal; pg-boss delivers at least once, so every handler is idempotent.
import type { Sql } from '../server/platform/db.ts'
import type { Logger } from '../server/platform/logger.ts'
import type { JobQueue } from './jobQueue.ts'
import { queuePolicies, type QueueName, type QueuePayloads } from './queues.ts'

export type JobContext = { jobId: string; attempt: number; signal: AbortSignal; sql: Sql; logger: Logger; queue: JobQueue }
export type JobHandler<K extends QueueName> = (data: QueuePayloads[K], ctx: JobContext) => Promise<void>
export type JobHandlers = { [K in QueueName]?: JobHandler<K> }

export async function startWorker(options: { queue: JobQueue; sql: Sql; logger: Logger; handlers: JobHandlers; concurrency: number }): Promise<void> {
  const { queue, sql, logger } = options
  for (const [name, handler] of Object.entries(options.handlers) as [QueueName, JobHandler<QueueName>][]) {
    await queue.boss.work<QueuePayloads[QueueName]>(name, { batchSize: 1, localConcurrency: options.concurrency, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (!job) return
      const log = logger.child({ queue: name, jobId: job.id, attempt: job.retryCount })
      const started = performance.now()
      try {
        await handler(job.data, { jobId: job.id, attempt: job.retryCount, signal: job.signal, sql, logger: log, queue })
        log.info('job completed', { durationMs: Math.round(performance.now() - started) })
      } catch (err) {
        log.warn('job failed', { durationMs: Math.round(performance.now() - started), err })
        throw err
      }
    })
    const cron = queuePolicies[name].schedule
    if (cron) await queue.boss.schedule(name, cron, {}, { singletonKey: name })
  }
}
