// The context a job handler runs with, for calling a handler directly (no
// queue round trip): a first attempt with a fresh abort signal unless told otherwise.
import type { JobContext } from '../jobs/worker.ts'
import { createWorkerMetrics } from '../jobs/workerMetrics.ts'
import type { JobQueue } from '../server/platform/jobQueue.ts'

/** Stands in where a handler must not send jobs: any use fails loudly. */
const NO_QUEUE = new Proxy({} as JobQueue, {
  get(_target, property) {
    throw new Error(`this job context has no queue (used: ${String(property)})`)
  },
})

export function makeJobContext(
  base: Pick<JobContext, 'sql' | 'logger' | 'config'> & { queue?: JobQueue },
  overrides: Partial<JobContext> = {},
): JobContext {
  return {
    jobId: 'test',
    attempt: 0,
    lastAttempt: false,
    signal: new AbortController().signal,
    queue: NO_QUEUE,
    metrics: createWorkerMetrics(),
    ...base,
    ...overrides,
  }
}
