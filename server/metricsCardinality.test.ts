// Label values are bounded: scanners and random ids must not grow the number
// of series. After one request of each kind, 1,000 more to random unknown
// paths, random ids, random methods and query strings leave the series count
// exactly where it was.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../testing/testApp.ts'
import { createTelemetry, type Telemetry } from './platform/telemetry.ts'
import { createApp } from './app.ts'
import { createProgressHub } from './videos/progressHub.ts'

let ctx: TestApp
let telemetry: Telemetry
let app: ReturnType<typeof createApp>
let user: TestUser
let hub: ReturnType<typeof createProgressHub>

beforeAll(async () => {
  ctx = await createTestApp()
  telemetry = createTelemetry('cardinality')
  app = createApp({
    config: ctx.config,
    sql: ctx.db.sql,
    logger: ctx.logger,
    queue: ctx.queue,
    hub: (hub = createProgressHub(ctx.db.sql, { mode: 'listen', logger: ctx.logger })),
    streams: ctx.streams,
    access: ctx.access,
    sessions: ctx.sessions,
    telemetry,
  })
  user = await makeUser(ctx.db.sql, ctx.config)
})
afterAll(async () => {
  await hub.close()
  await telemetry.shutdown()
  await ctx.close()
})

const rand = () => crypto.randomUUID()
const METHODS = ['GET', 'POST', 'DELETE', 'PATCH', 'PROPFIND', 'BREW']
const kinds: ((i: number) => Request)[] = [
  () => request(`/${rand()}/${rand()}`),
  () => request(`/api/${rand()}?q=${rand()}`),
  () => request(`/api/collections/${rand()}`, { headers: user.bearer }),
  () => request(`/api/collections/${rand().slice(0, 8)}`, { headers: user.bearer }),
  () => request(`/api/videos/${rand()}`),
  (i) => request(`/api/conversations/${rand()}`, { method: METHODS[i % METHODS.length], headers: user.bearer }),
  () => request(`/api/collections/${rand()}/videos/${rand()}`, { headers: user.bearer }),
]

/** Series in a scrape, once all `requests` have been recorded (that happens after each response). */
async function seriesCount(requests: number): Promise<number> {
  for (let i = 0; ; i++) {
    const text = await telemetry.scrape()
    const recorded = [...text.matchAll(/^http_server_request_duration_count\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0)
    if (recorded >= requests || i > 200) return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length
    await Bun.sleep(10)
  }
}

async function send(n: number, offset: number) {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) => app.handle(kinds[(offset + i + j) % kinds.length]!(offset + i + j))),
    )
  }
}

test('1,000 requests to random unknown paths and ids add no series', async () => {
  // One full round of every kind and method first, so every label value that can exist does.
  const warmUp = kinds.length * METHODS.length
  await send(warmUp, 0)
  const before = await seriesCount(warmUp)
  await send(1000, 7)
  const after = await seriesCount(warmUp + 1000)
  expect(before).toBeGreaterThan(20)
  expect(after).toBe(before)
  expect(await telemetry.scrape()).toContain('http_route="(unmatched)"')
})
