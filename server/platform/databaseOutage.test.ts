// A database outage is not an internal error: the api answers 503 with
// Retry-After (problem+json), and recovers by itself when the database is back.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createApp } from '../app.ts'
import { makeUser } from '../../testing/factories.ts'
import { startTcpProxy, type TcpProxy } from '../../testing/tcpProxy.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { createSql, type Sql } from './db.ts'
import { createSessionCache, type SessionCache } from '../auth/sessionCache.ts'

let ctx: TestApp
let proxy: TcpProxy
let sql: Sql
let app: ReturnType<typeof createApp>
// On the proxied pool too, so the session check also meets the outage (poll mode: no LISTEN through the proxy).
let sessions: SessionCache

beforeAll(async () => {
  ctx = await createTestApp()
  const target = new URL(ctx.db.url)
  proxy = startTcpProxy({ host: target.hostname, port: Number(target.port) })
  sql = createSql(proxy.url(ctx.db.url), { max: 2 })
  app = createApp({
    config: ctx.config,
    sql,
    logger: ctx.logger,
    queue: ctx.queue,
    hub: { subscribe: () => () => {}, publishLocal: () => {}, close: async () => {} },
    streams: ctx.streams,
    access: ctx.access,
    sessions: (sessions = createSessionCache(sql, { mode: 'poll', logger: ctx.logger })),
  })
})
afterAll(async () => {
  await sessions.shutdown()
  await sql.end({ timeout: 1 })
  proxy.stop()
  await ctx.close()
})

test('with the database down an authenticated request gets 503 database_unavailable with Retry-After, then works again', async () => {
  const u = await makeUser(ctx.db.sql, ctx.config)
  expect((await app.handle(request('/api/auth/me', { headers: u.bearer }))).status).toBe(200)
  proxy.down()
  const res = await app.handle(request('/api/auth/me', { headers: u.bearer }))
  expect(res.status).toBe(503)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  expect((await res.json()).code).toBe('database_unavailable')
  expect(ctx.logs.some((l) => l.includes('"unhandled error"'))).toBe(false)
  proxy.up()
  let status = 0
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await app.handle(request('/api/auth/me', { headers: u.bearer }))).status
    if (status !== 200) await Bun.sleep(100)
  }
  expect(status).toBe(200)
})
