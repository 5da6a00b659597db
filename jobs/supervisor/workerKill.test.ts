// Drill 2 in the test suite: a worker SIGKILLed mid-job; its job's heartbeat
// stops, pg-boss hands it to the next worker, every video ends ready once.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { formatDrill } from '../../benchmarks/drills/drillResult.ts'
import { workerKillDrill } from '../../benchmarks/drills/workerKillDrill.ts'
import { makeUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(async () => {
  await ctx.close()
})

test('a worker killed mid-job: the job is taken back and finished by another worker, every video ready, no chunk twice', async () => {
  const user = await makeUser(ctx.db.sql, ctx.config)
  const created = await ctx.app.handle(request('/api/collections', { method: 'POST', headers: user.bearer, json: { name: 'Kill' } }))
  const { id: collectionId } = (await created.json()) as { id: string }
  const result = await workerKillDrill({
    databaseUrl: ctx.db.url,
    sql: ctx.db.sql,
    queue: ctx.queue,
    config: ctx.config,
    logger: ctx.logger,
    target: { collectionId, userId: user.id },
    videos: 2,
    timeoutMs: 150_000,
  })
  console.log(formatDrill(result))
  expect(formatDrill(result)).toStartWith('PASS')
}, 400_000)
