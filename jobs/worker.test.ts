import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { loadConfig } from '../server/platform/config.ts'
import { createLogger } from '../server/platform/logger.ts'
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts'
import { startJobQueue } from '../server/platform/jobQueue.ts'
import { deadLetterQueue } from '../server/platform/queues.ts'
import { startWorker } from './worker.ts'
import { maintenance } from './queues/maintenance.ts'
import { makeJobContext } from '../testing/makeJobContext.ts'

let db: TestDatabase
const logger = createLogger('error')

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn()
    if (v) return v
    await Bun.sleep(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('job queue', () => {
  test('a job sent inside a rolled-back transaction never exists', async () => {
    const queue = await startJobQueue({ url: db.url, logger })
    try {
      await db.sql
        .begin(async (tx) => {
          await queue.send('maintenance', {}, { tx })
          throw new Error('roll back')
        })
        .catch(() => {})
      expect(await queue.boss.findJobs('maintenance')).toHaveLength(0)

      const id = await db.sql.begin((tx) => queue.send('maintenance', {}, { tx }))
      expect(id).toBeString()
      expect((await queue.boss.findJobs('maintenance')).map((j) => j.id)).toEqual([id!])
    } finally {
      await queue.boss.deleteAllJobs?.('maintenance').catch(() => {})
      await queue.stop({ timeoutMs: 1000 })
    }
  })

  test('a failing job is retried, then lands in the dead-letter queue', async () => {
    const queue = await startJobQueue({
      url: db.url,
      logger,
      policies: { maintenance: { retryLimit: 1, retryDelay: 0, retryBackoff: false } },
    })
    const attempts: number[] = []
    try {
      await startWorker({
        queue,
        sql: db.sql,
        logger,
        config: loadConfig({ NODE_ENV: 'test' }),
        concurrency: 1,
        handlers: {
          maintenance: async (_data, ctx) => {
            attempts.push(ctx.attempt)
            throw new Error('transient failure')
          },
        },
      })
      const id = await queue.send('maintenance', {})
      const dead = await waitFor(async () => (await queue.boss.findJobs(deadLetterQueue('maintenance'))).at(0), 'dead letter')
      expect(attempts).toEqual([0, 1])
      const original = await queue.boss.getJobById('maintenance', id!)
      expect(original?.state).toBe('failed')
      expect(dead.data).toEqual({})
    } finally {
      await queue.stop({ timeoutMs: 1000 })
    }
  })
})

describe('maintenance', () => {
  test('settles answers left streaming by a dead process, and leaves fresh ones alone', async () => {
    const [user] = await db.sql`insert into users (email) values ('m@example.com') returning id`
    const [col] = await db.sql`insert into collections (owner_id, name) values (${user!.id}, 'c') returning id`
    const [conv] = await db.sql`insert into conversations (collection_id, user_id) values (${col!.id}, ${user!.id}) returning id`
    await db.sql`insert into messages (conversation_id, role, status, created_at) values
      (${conv!.id}, 'assistant', 'streaming', now() - interval '2 hours'),
      (${conv!.id}, 'assistant', 'streaming', now())`
    const queue = await startJobQueue({ url: db.url, logger })
    try {
      await maintenance({}, makeJobContext({ sql: db.sql, logger, queue, config: loadConfig({ NODE_ENV: 'test' }) }))
      const rows = await db.sql`select status from messages order by created_at`
      expect(rows.map((r) => r.status)).toEqual(['failed', 'streaming'])
    } finally {
      await queue.stop({ timeoutMs: 1000 })
    }
  })
})
