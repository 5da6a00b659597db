// The per-process session cache: an authenticated request is answered from
// memory, yet a revoked session is refused at once on the instance that
// revoked it and on every other instance as soon as the NOTIFY arrives; where
// notifications are lost or never delivered, within the cache's bound.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { createSecondInstance, createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { createSql, type Sql } from '../platform/db.ts'
import { REVOCATION_CHANNEL } from '../platform/streamAccess.ts'
import { countActiveUsers } from './sql.ts'
import { createSessionCache, type SessionCache } from './sessionCache.ts'

let ctx: TestApp
let second: Awaited<ReturnType<typeof createSecondInstance>>
const pools: Sql[] = []
const caches: SessionCache[] = []

beforeAll(async () => {
  ctx = await createTestApp()
  second = await createSecondInstance(ctx)
})
afterAll(async () => {
  for (const c of caches) await c.shutdown()
  for (const p of pools) await p.end({ timeout: 1 })
  await second.close()
  await ctx.close()
})

const me = (app: TestApp['app'], user: TestUser) => app.handle(request('/api/auth/me', { headers: user.bearer }))

/** Waits (bounded) until `check` holds; the bound is a safety net, not a timing assertion. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return
    await Bun.sleep(20)
  }
  throw new Error(`timed out waiting until ${what}`)
}

/** A cache on its own pool (its own LISTEN connection), as another api process would have. */
function cacheOf(mode: 'listen' | 'poll', ttlMs?: number, applicationName = 'kt-cache-test'): SessionCache {
  const sql = createSql(ctx.db.url, { max: 2, applicationName })
  pools.push(sql)
  const cache = createSessionCache(sql, { mode, logger: ctx.logger, ttlMs })
  caches.push(cache)
  return cache
}

/** Revokes behind the product's back: no local announcement, optionally a bare NOTIFY as another process would send. */
async function revokeElsewhere(user: TestUser, notify: boolean): Promise<void> {
  await ctx.db.sql`update sessions set revoked_at = now(), revoked_reason = 'logout' where id = ${user.sessionId}`
  if (notify) await ctx.db.sql`select pg_notify(${REVOCATION_CHANNEL}, ${JSON.stringify({ sessionIds: [user.sessionId] })})`
}

// First in the file, so no other test's fire-and-forget write lands in between.
test('a request marks its user active; the gauge counts distinct users in the last 5 and 60 minutes', async () => {
  const before = await countActiveUsers(ctx.db.sql)
  const user = await makeUser(ctx.db.sql, ctx.config, 'active')
  expect((await me(ctx.app, user)).status).toBe(200)
  expect((await me(ctx.app, user)).status).toBe(200)
  await until(async () => {
    const [row] = await ctx.db.sql<{ seen: Date | null }[]>`select last_seen_at as seen from users where id = ${user.id}`
    return row!.seen !== null
  }, 'last_seen_at is written')
  const after = await countActiveUsers(ctx.db.sql)
  expect(after.last5m).toBe(before.last5m + 1)
  expect(after.last1h).toBe(before.last1h + 1)
  // An hour later the user no longer counts.
  await ctx.db.sql`update users set last_seen_at = now() - interval '61 minutes' where id = ${user.id}`
  expect(await countActiveUsers(ctx.db.sql)).toEqual(before)
})

describe('two api instances', () => {
  test('a logout on one instance is refused by the other on the next request', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config, 'twoinstances')
    expect((await me(second.app, user)).status).toBe(200)
    expect((await me(ctx.app, user)).status).toBe(200)
    const out = await ctx.app.handle(
      request('/api/auth/logout', {
        method: 'POST',
        headers: { origin: 'http://localhost:3000' },
        json: { refreshToken: user.refreshToken },
      }),
    )
    expect(out.status).toBe(204)
    for (const app of [ctx.app, second.app]) {
      const res = await me(app, user)
      expect(res.status).toBe(401)
      expect((await res.json()).code).toBe('session_invalid')
    }
  })

  test('"log out everywhere" ends every cached session of the user on the other instance', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config, 'everywhere')
    expect((await me(second.app, user)).status).toBe(200)
    expect((await ctx.app.handle(request('/api/auth/logout-all', { method: 'POST', headers: user.bearer }))).status).toBe(204)
    expect((await me(second.app, user)).status).toBe(401)
  })
})

describe('the cache on its own', () => {
  test('a live session is answered from memory: a revocation nobody announces goes unseen', async () => {
    const cache = cacheOf('listen', 60_000)
    const user = await makeUser(ctx.db.sql, ctx.config, 'memory')
    await until(async () => (await cache.isActive(user.sessionId, user.id)) && cache.size() === 1, 'the session is cached')
    await revokeElsewhere(user, false)
    // Served from memory (the row says revoked): exactly why every session end must announce itself.
    expect(await cache.isActive(user.sessionId, user.id)).toBe(true)
  })

  test('a NOTIFY sent by another process drops the session', async () => {
    const cache = cacheOf('listen', 60_000)
    const user = await makeUser(ctx.db.sql, ctx.config, 'notified')
    await until(async () => (await cache.isActive(user.sessionId, user.id)) && cache.size() === 1, 'the session is cached')
    const applied = cache.applied()
    await revokeElsewhere(user, true)
    await until(() => cache.applied() > applied, 'the NOTIFY arrives')
    expect(await cache.isActive(user.sessionId, user.id)).toBe(false)
  })

  test('a session of another user, or of another collection member removal, stays', async () => {
    const cache = cacheOf('listen', 60_000)
    const [a, b] = [await makeUser(ctx.db.sql, ctx.config, 'stays-a'), await makeUser(ctx.db.sql, ctx.config, 'stays-b')]
    for (const u of [a, b]) expect(await cache.isActive(u.sessionId, u.id)).toBe(true)
    await until(() => cache.size() === 2, 'both sessions are cached')
    cache.apply({ userId: a.id, collectionId: crypto.randomUUID() })
    expect(cache.size()).toBe(2)
    cache.apply({ userId: a.id })
    expect(cache.size()).toBe(1)
  })

  test('a token whose subject is not the session’s user is refused', async () => {
    const cache = cacheOf('listen', 60_000)
    const [a, b] = [await makeUser(ctx.db.sql, ctx.config, 'subject-a'), await makeUser(ctx.db.sql, ctx.config, 'subject-b')]
    expect(await cache.isActive(a.sessionId, a.id)).toBe(true)
    expect(await cache.isActive(a.sessionId, b.id)).toBe(false)
  })

  test('when LISTEN reconnects, everything cached is dropped (notifications may have been missed)', async () => {
    const cache = cacheOf('listen', 60_000, 'kt-cache-reconnect')
    const user = await makeUser(ctx.db.sql, ctx.config, 'reconnect')
    await until(async () => (await cache.isActive(user.sessionId, user.id)) && cache.size() === 1, 'the session is cached')
    await revokeElsewhere(user, false)
    // The LISTEN connection drops (a failover, a restart); postgres.js reconnects and listens again.
    await until(async () => {
      const [row] = await ctx.db.sql<{ n: number }[]>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where application_name = 'kt-cache-reconnect' and query ilike 'listen%'`
      return row!.n > 0
    }, 'the LISTEN connection is found and cut')
    await until(() => cache.size() === 0, 'the cache is dropped on reconnect')
    expect(await cache.isActive(user.sessionId, user.id)).toBe(false)
  })

  test('without notifications (the embedded database) a revoked session is refused once its entry expires', async () => {
    const cache = cacheOf('poll', 200)
    const user = await makeUser(ctx.db.sql, ctx.config, 'polled')
    expect(await cache.isActive(user.sessionId, user.id)).toBe(true)
    expect(cache.size()).toBe(1)
    await revokeElsewhere(user, false)
    await until(async () => !(await cache.isActive(user.sessionId, user.id)), 'the revoked session is refused')
    expect(cache.size()).toBe(0)
  })
})
