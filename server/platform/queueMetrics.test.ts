// Long jobs carry a heartbeat, and a running job whose heartbeat stopped (its
// worker was killed) shows on /metrics as stalled until the supervisor retries it.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { readQueueCounts } from './queueMetrics.ts'
import { HEARTBEAT_SECONDS } from './queues.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(async () => {
  await ctx.close()
})

test('ingest, embed and reembed have a heartbeat of at most 30 s; the dead-letter queues exist', async () => {
  const rows = await ctx.db.sql<{ name: string; heartbeatSeconds: number | null; deadLetter: string | null }[]>`
    select name, heartbeat_seconds, dead_letter from pgboss.queue where name in ('ingest', 'embed', 'reembed', 'mail') order by name`
  expect(rows.filter((r) => r.name !== 'mail').map((r) => r.heartbeatSeconds)).toEqual([
    HEARTBEAT_SECONDS,
    HEARTBEAT_SECONDS,
    HEARTBEAT_SECONDS,
  ])
  expect(HEARTBEAT_SECONDS).toBeLessThanOrEqual(30)
  expect(rows.map((r) => r.deadLetter)).toEqual(['embed.dead', 'ingest.dead', 'mail.dead', 'reembed.dead'])
})

test('a running job whose heartbeat stopped counts as stalled; a beating one does not', async () => {
  const ids = [
    await ctx.queue.send('ingest', { videoId: crypto.randomUUID() }),
    await ctx.queue.send('ingest', { videoId: crypto.randomUUID() }),
  ]
  const fetched = await ctx.queue.boss.fetch('ingest', { batchSize: 2 })
  expect(fetched.map((j) => j.id).sort()).toEqual([...ids].sort() as string[])
  expect((await readQueueCounts(ctx.db.sql)).get('ingest')).toMatchObject({ active: 2, stalled: 0 })
  // The worker holding the first one was SIGKILLed a minute ago: no more beats.
  await ctx.db.sql`update pgboss.job set heartbeat_on = now() - interval '1 minute' where id = ${ids[0]!}`
  expect((await readQueueCounts(ctx.db.sql)).get('ingest')).toMatchObject({ active: 2, stalled: 1 })
})
