// A job's failure reaches Sentry (through the real SDK, into the local envelope
// receiver) only when no retry follows: a failure that will be retried is not
// yet a fault, one that dead-letters is, and it is reported once, scrubbed.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { loadConfig } from '../server/platform/config.ts'
import { startErrorReporting, type ErrorReporting } from '../server/platform/errorReporting.ts'
import { startJobQueue } from '../server/platform/jobQueue.ts'
import { createLogger } from '../server/platform/logger.ts'
import { deadLetterQueue } from '../server/platform/queues.ts'
import { startSentryReceiver, type SentryReceiver } from '../testing/sentry/receiver.ts'
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts'
import { startWorker } from './worker.ts'

let db: TestDatabase
let sentry: SentryReceiver
let reporting: ErrorReporting

beforeAll(async () => {
  db = await createTestDatabase()
  sentry = startSentryReceiver()
  reporting = startErrorReporting(loadConfig({ NODE_ENV: 'test', SENTRY_DSN: sentry.dsn }), 'worker', { processHandlers: false })!
})
afterAll(async () => {
  await reporting.close()
  await sentry.stop()
  await db.drop()
})

test('a job failing on every attempt is reported once, on its last attempt, and not on the ones before', async () => {
  const queue = await startJobQueue({
    url: db.url,
    logger: createLogger('error'),
    policies: { maintenance: { retryLimit: 2, retryDelay: 0, retryBackoff: false } },
  })
  // What Sentry had received when each attempt started: everything earlier attempts sent has been flushed by then.
  const seenAtStart: number[] = []
  try {
    await startWorker({
      queue,
      sql: db.sql,
      logger: createLogger('error', {}, () => {}),
      config: loadConfig({ NODE_ENV: 'test' }),
      concurrency: 1,
      handlers: {
        maintenance: async () => {
          await reporting.flush()
          seenAtStart.push(sentry.events().length)
          throw new Error('maintenance failed for mallory.leak@example.org')
        },
      },
    })
    const id = await queue.send('maintenance', {})
    for (let i = 0; i < 300 && (await queue.boss.findJobs(deadLetterQueue('maintenance'))).length === 0; i++) await Bun.sleep(100)
    expect(await queue.boss.findJobs(deadLetterQueue('maintenance'))).toHaveLength(1)

    await reporting.flush()
    await sentry.waitFor(() => sentry.events().length > 0)
    // Flush again: a duplicate would have been sent by now.
    await reporting.flush()
    expect(seenAtStart).toEqual([0, 0, 0])
    const events = sentry.events() as { tags: Record<string, unknown>; exception: { values: { value: string }[] } }[]
    expect(events).toHaveLength(1)
    expect(events[0]?.tags).toMatchObject({ service: 'worker', queue: 'maintenance', job_id: id, attempt: 2 })
    expect(events[0]?.exception.values.at(-1)?.value).toBe('maintenance failed for [email]')
    expect(sentry.envelopes.map((e) => e.raw).join('\n')).not.toContain('mallory.leak@example.org')
  } finally {
    await queue.stop({ timeoutMs: 1000 })
  }
})
