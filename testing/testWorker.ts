// Runs the real job handlers in-process against a test app's database, so a
// test can drive the whole pipeline (upload -> ingest -> embed -> ready).
import { handlers } from '../jobs/handlers.ts'
import { startJobQueue, type JobQueue, type QueuePolicyOverrides } from '../server/platform/jobQueue.ts'
import { startWorker } from '../jobs/worker.ts'
import type { Sql } from '../server/platform/db.ts'
import type { TestApp } from './testApp.ts'

export async function startTestWorker(ctx: TestApp, options: { policies?: QueuePolicyOverrides } = {}): Promise<JobQueue> {
  const queue = await startJobQueue({ url: ctx.db.url, logger: ctx.logger, max: 3, policies: options.policies })
  await startWorker({ queue, sql: ctx.db.sql, logger: ctx.logger, config: ctx.config, handlers, concurrency: 2 })
  return queue
}

/** Waits until the video reaches one of the given statuses; returns the row. */
export async function waitForVideo(
  sql: Sql,
  videoId: string,
  statuses: string[] = ['ready', 'failed'],
  timeoutMs = 30_000,
): Promise<{ status: string; error: string | null; progress: number }> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [row] = await sql<
      { status: string; error: string | null; progress: number }[]
    >`select status, error, progress from videos where id = ${videoId}`
    if (row && statuses.includes(row.status)) return row
    if (Date.now() > deadline) throw new Error(`video ${videoId} is ${row?.status ?? 'gone'}, not ${statuses.join('/')}`)
    await Bun.sleep(50)
  }
}
