// Refresh-token rotation, reuse detection and the ways a session ends.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUser, responseCookies, type TestUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { REFRESH_GRACE_SECONDS } from './sessions.ts'
import { openSuccessor } from './successorSeal.ts'

let ctx: TestApp
const origin = { origin: 'http://localhost:3000' }

beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(() => ctx.close())

const refresh = (refreshToken: string) =>
  ctx.app.handle(request('/api/auth/refresh', { method: 'POST', json: { refreshToken }, headers: origin }))
const me = (accessToken: string) => ctx.app.handle(request('/api/auth/me', { headers: { authorization: `Bearer ${accessToken}` } }))
/** Pretends the token was rotated long enough ago to be outside the grace window. */
const ageRotation = (u: TestUser) =>
  ctx.db
    .sql`update refresh_tokens t set rotated_at = now() - make_interval(secs => ${REFRESH_GRACE_SECONDS + 5}) from sessions s where s.id = t.session_id and s.id = ${u.sessionId} and t.rotated_at is not null`

describe('refresh tokens', () => {
  test('each refresh rotates: a new refresh token and a working access token', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const res = await refresh(u.refreshToken)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.refreshToken).not.toBe(u.refreshToken)
    expect(body.refreshToken.length).toBeGreaterThanOrEqual(32)
    expect((await me(body.accessToken)).status).toBe(200)
    const second = await refresh(body.refreshToken)
    expect(second.status).toBe(200)
  })

  test('refresh tokens are stored only as hashes', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const rows = await ctx.db.sql`select encode(token_hash, 'hex') as h from refresh_tokens where session_id = ${u.sessionId}`
    expect(rows).toHaveLength(1)
    expect(rows[0]!.h).not.toContain(Buffer.from(u.refreshToken).toString('hex'))
    expect(rows[0]!.h).toHaveLength(64)
  })

  test('replaying a rotated token revokes the whole family; the next legitimate refresh fails', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const legit = await (await refresh(u.refreshToken)).json()
    await ageRotation(u)
    const replay = await refresh(u.refreshToken)
    expect(replay.status).toBe(401)
    expect((await refresh(legit.refreshToken)).status).toBe(401)
    expect((await me(legit.accessToken)).status).toBe(401)
    const [s] = await ctx.db.sql`select revoked_reason from sessions where id = ${u.sessionId}`
    expect(s!.revokedReason).toBe('refresh_token_reuse')
  })

  test('two concurrent refreshes with the same token (two tabs) get the same successor: the session never forks', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const [a, b] = await Promise.all([refresh(u.refreshToken), refresh(u.refreshToken)])
    expect([a.status, b.status]).toEqual([200, 200])
    const [ta, tb] = [await a.json(), await b.json()]
    expect(ta.refreshToken).toBe(tb.refreshToken)
    const [live] = await ctx.db.sql`select count(*)::int as n from refresh_tokens where session_id = ${u.sessionId} and rotated_at is null`
    expect(live!.n).toBe(1)
    expect((await me(ta.accessToken)).status).toBe(200)
    expect((await me(tb.accessToken)).status).toBe(200)
  })

  test('RT0 presented twice inside the window yields the same RT1; RT0 after the window revokes the family, RT1 included', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const first = await (await refresh(u.refreshToken)).json()
    // A thief replaying RT0 inside the window gets RT1, not a chain of its own.
    const replayed = await (await refresh(u.refreshToken)).json()
    expect(replayed.refreshToken).toBe(first.refreshToken)
    const rt2 = await (await refresh(first.refreshToken)).json()
    expect(rt2.refreshToken).not.toBe(first.refreshToken)
    await ageRotation(u)
    expect((await refresh(u.refreshToken)).status).toBe(401)
    expect((await refresh(rt2.refreshToken)).status).toBe(401)
    const [s] = await ctx.db.sql`select revoked_reason from sessions where id = ${u.sessionId}`
    expect(s!.revokedReason).toBe('refresh_token_reuse')
  })

  test('the stored successor is sealed: the database alone does not give it away', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const next = (await (await refresh(u.refreshToken)).json()).refreshToken as string
    const [row] = await ctx.db
      .sql`select successor_sealed from refresh_tokens where session_id = ${u.sessionId} and successor_sealed is not null`
    const sealed = row!.successorSealed as Buffer
    expect(sealed.includes(Buffer.from(next))).toBe(false)
    expect(openSuccessor(u.refreshToken, sealed)).toBe(next)
    expect(openSuccessor('x'.repeat(43), sealed)).toBeNull()
  })

  test('an unknown refresh token is rejected', async () => {
    expect((await refresh('x'.repeat(43))).status).toBe(401)
  })

  test('a session past its 7-day absolute lifetime cannot be refreshed', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    await ctx.db.sql`update sessions set expires_at = now() - interval '1 second' where id = ${u.sessionId}`
    expect((await refresh(u.refreshToken)).status).toBe(401)
  })

  test('the browser flow rotates the refresh cookie', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const res = await ctx.app.handle(request('/api/auth/refresh', { method: 'POST', headers: u.browser }))
    expect(res.status).toBe(200)
    const cookies = responseCookies(res)
    expect(cookies['__Host-kt_refresh']).toBeString()
    expect(cookies['__Host-kt_refresh']).not.toBe(u.refreshToken)
    expect(
      res.headers.getSetCookie().every((c) => /HttpOnly/.test(c) && /Secure/.test(c) && /SameSite=Lax/.test(c) && /Path=\//.test(c)),
    ).toBe(true)
  })
})

describe('ending sessions', () => {
  test('logout revokes this session server-side', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const res = await ctx.app.handle(request('/api/auth/logout', { method: 'POST', headers: u.browser }))
    expect(res.status).toBe(204)
    expect(res.headers.getSetCookie().some((c) => c.startsWith('__Host-kt_access=;') && /Max-Age=0/.test(c))).toBe(true)
    expect((await me(u.accessToken)).status).toBe(401)
    expect((await refresh(u.refreshToken)).status).toBe(401)
  })

  test('logout everywhere ends every session of the user, and only theirs', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const other = await makeUser(ctx.db.sql, ctx.config)
    const login = await ctx.app.handle(
      request('/api/auth/login', { method: 'POST', json: { email: u.email, password: u.password, mode: 'token' }, headers: origin }),
    )
    const second = await login.json()
    expect((await ctx.app.handle(request('/api/auth/logout-all', { method: 'POST', headers: u.bearer }))).status).toBe(204)
    expect((await me(u.accessToken)).status).toBe(401)
    expect((await me(second.accessToken)).status).toBe(401)
    expect((await refresh(second.refreshToken)).status).toBe(401)
    expect((await me(other.accessToken)).status).toBe(200)
  })

  test('users list their sessions and revoke one; another user cannot revoke it', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const other = await makeUser(ctx.db.sql, ctx.config)
    const login = await (
      await ctx.app.handle(
        request('/api/auth/login', {
          method: 'POST',
          json: { email: u.email, password: u.password, mode: 'token' },
          headers: { ...origin, 'user-agent': 'Firefox/140' },
        }),
      )
    ).json()
    const list = await (await ctx.app.handle(request('/api/auth/sessions', { headers: u.bearer }))).json()
    expect(list).toHaveLength(2)
    expect(list.find((s: { current: boolean }) => s.current).id).toBe(u.sessionId)
    const otherSession = list.find((s: { current: boolean }) => !s.current)
    expect(otherSession.userAgent).toBe('Firefox/140')

    const stolen = await ctx.app.handle(request(`/api/auth/sessions/${otherSession.id}`, { method: 'DELETE', headers: other.bearer }))
    expect(stolen.status).toBe(404)
    expect((await me(login.accessToken)).status).toBe(200)

    expect((await ctx.app.handle(request(`/api/auth/sessions/${otherSession.id}`, { method: 'DELETE', headers: u.bearer }))).status).toBe(
      204,
    )
    expect((await me(login.accessToken)).status).toBe(401)
    expect((await me(u.accessToken)).status).toBe(200)
  })
})
