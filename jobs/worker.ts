// Runs the queue handlers. A handler gets its payload plus the job's abort
// signal; pg-boss delivers at least once, so every handler is idempotent.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import type { Config } from '../server/platform/config.ts'
import type { Sql } from '../server/platform/db.ts'
import type { Logger } from '../server/platform/logger.ts'
import type { JobQueue } from '../server/platform/jobQueue.ts'
import { queuePolicies, type QueueName, type QueuePayloads } from '../server/platform/queues.ts'
import { reportError } from '../server/platform/errorReporting.ts'
import { contextFromTraceparent, tracer } from '../server/platform/tracing.ts'
import { createWorkerMetrics, type WorkerMetrics } from './workerMetrics.ts'

export type JobContext = {
  jobId: string
  attempt: number
  /** No retry follows if this attempt fails. */
  lastAttempt: boolean
  signal: AbortSignal
  sql: Sql
  logger: Logger
  queue: JobQueue
  config: Config
  metrics: WorkerMetrics
}
export type JobHandler<K extends QueueName> = (data: QueuePayloads[K], ctx: JobContext) => Promise<void>
/** Every queue's handler: a queue without one does not compile (see handlers.ts). */
export type JobHandlers = { [K in QueueName]: JobHandler<K> }

export async function startWorker(options: {
  queue: JobQueue
  sql: Sql
  logger: Logger
  config: Config
  handlers: Partial<JobHandlers>
  concurrency: number
  metrics?: WorkerMetrics
}): Promise<void> {
  const { queue, sql, logger, config } = options
  const metrics = options.metrics ?? createWorkerMetrics()
  for (const [name, handler] of Object.entries(options.handlers) as [QueueName, JobHandler<QueueName>][]) {
    // A batch of up to `concurrency` jobs per fetch, run side by side and settled
    // one by one; while fetches come back full the worker fetches again at once,
    // so a backlog drains without waiting out the poll interval after each job.
    await queue.boss.work<QueuePayloads[QueueName]>(
      name,
      { batchSize: options.concurrency, burstWhenBatchFull: options.concurrency > 1, perJobResults: true, pollingIntervalSeconds: 1 },
      async (jobs) =>
        Promise.all(
          jobs.map(async (job) => {
            // The job continues the trace of whatever sent it (a request, another job).
            const { traceparent, ...data } = job.data as QueuePayloads[QueueName] & { traceparent?: string }
            const attributes = {
              'messaging.system': 'pg-boss',
              'messaging.operation.type': 'process',
              'messaging.destination.name': name,
              'messaging.message.id': job.id,
              'kt.job.attempt': job.retryCount,
            }
            return tracer.startActiveSpan(
              `process ${name}`,
              { kind: SpanKind.CONSUMER, attributes },
              contextFromTraceparent(traceparent),
              async (span) => {
                const log = logger.child({ queue: name, jobId: job.id, attempt: job.retryCount })
                const started = performance.now()
                const seconds = () => (performance.now() - started) / 1000
                const lastAttempt = job.retryCount >= queue.retryLimit(name)
                try {
                  await handler(data as QueuePayloads[QueueName], {
                    jobId: job.id,
                    attempt: job.retryCount,
                    lastAttempt,
                    signal: job.signal,
                    sql,
                    logger: log,
                    queue,
                    config,
                    metrics,
                  })
                  log.info('job completed', { durationMs: Math.round(seconds() * 1000) })
                  metrics.job(name, 'completed', seconds())
                  return { id: job.id, status: 'completed' as const }
                } catch (err) {
                  log.warn('job failed', { durationMs: Math.round(seconds() * 1000), err })
                  metrics.job(name, 'failed', seconds())
                  span.recordException(err as Error)
                  span.setStatus({ code: SpanStatusCode.ERROR })
                  // A failure that will be retried is not yet a fault; one that dead-letters is.
                  if (lastAttempt) reportError(err, { queue: name, jobId: job.id, attempt: job.retryCount })
                  return { id: job.id, status: 'failed' as const, output: { message: err instanceof Error ? err.message : String(err) } }
                } finally {
                  span.end()
                }
              },
            )
          }),
        ),
    )
    const cron = queuePolicies[name].schedule
    if (cron) await queue.boss.schedule(name, cron, {}, { singletonKey: name })
  }
}
