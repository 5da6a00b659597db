// The supervisor with real worker processes (`bun jobs/main.ts`) on a real
// backlog: up to the maximum, back to the minimum after the cooldown, every
// video ready, nothing done twice. The small version of `make drills`' drill 5.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { formatDrill } from '../../benchmarks/drills/drillResult.ts'
import { scalingDrill } from '../../benchmarks/drills/scalingDrill.ts'
import { makeUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(async () => {
  await ctx.close()
})

test('a backlog scales workers from 1 to 3 and back to 1 after the cooldown; every video ready, no chunk twice', async () => {
  const user = await makeUser(ctx.db.sql, ctx.config)
  const created = await ctx.app.handle(request('/api/collections', { method: 'POST', headers: user.bearer, json: { name: 'Backlog' } }))
  const { id: collectionId } = (await created.json()) as { id: string }
  const result = await scalingDrill({
    databaseUrl: ctx.db.url,
    sql: ctx.db.sql,
    queue: ctx.queue,
    config: ctx.config,
    logger: ctx.logger,
    target: { collectionId, userId: user.id },
    jobs: 30,
    min: 1,
    max: 3,
    cooldownMs: 1000,
    checkIntervalMs: 250,
    timeoutMs: 150_000,
  })
  expect(formatDrill(result)).toStartWith('PASS')
}, 240_000)
