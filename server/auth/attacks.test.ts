// Attack paths: cross-site requests, password guessing, account enumeration,
// prototype pollution.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
const ours = 'http://localhost:3000'

beforeAll(async () => {
  // As behind nginx on the same host: the proxy at 127.0.0.1 says who the client is.
  ctx = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1/32' })
})
afterAll(() => ctx.close())

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  ctx.app.handle(request(path, { method: 'POST', json, headers, peer: '127.0.0.1' }))

describe('CSRF', () => {
  test('a cookie-authenticated POST from a foreign Origin is refused with 403', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const res = await post('/api/auth/logout-all', {}, { ...u.browser, origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe('csrf_origin_mismatch')
    expect((await ctx.app.handle(request('/api/auth/me', { headers: u.bearer }))).status).toBe(200)
  })

  test('a cookie-authenticated POST without Origin or Referer is refused', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const { origin: _o, ...cookieOnly } = u.browser
    const res = await post('/api/auth/logout-all', {}, cookieOnly)
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe('csrf_origin_missing')
  })

  test('a cross-site Sec-Fetch-Site or Referer is refused', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const { origin: _o, ...cookieOnly } = u.browser
    expect((await post('/api/auth/logout-all', {}, { ...cookieOnly, 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await post('/api/auth/logout-all', {}, { ...cookieOnly, referer: 'https://evil.example/page' })).status).toBe(403)
  })

  test('the same request from our own Origin works', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    expect((await post('/api/auth/logout-all', {}, u.browser)).status).toBe(204)
  })

  test('a Bearer-authenticated request without cookies is unaffected by Origin', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    expect((await post('/api/auth/logout-all', {}, { ...u.bearer })).status).toBe(204)
    const v = await makeUser(ctx.db.sql, ctx.config)
    expect((await post('/api/auth/logout-all', {}, { ...v.bearer, origin: 'https://another-tool.example' })).status).toBe(204)
  })

  test('a login form posted from another site is refused (login CSRF)', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    expect((await post('/api/auth/login', { email: u.email, password: u.password }, { origin: 'https://evil.example' })).status).toBe(403)
  })
})

describe('brute force', () => {
  test('the 6th failed attempt from one address is 429 with Retry-After; the victim still signs in from another address', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const attacker = { origin: ours, 'x-forwarded-for': '203.0.113.7' }
    for (let i = 0; i < 5; i++)
      expect((await post('/api/auth/login', { email: u.email, password: `guess-${i}-xxxx` }, attacker)).status).toBe(401)
    const blocked = await post('/api/auth/login', { email: u.email, password: 'guess-6-xxxx' }, attacker)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await blocked.json()).code).toBe('rate_limited')
    // Even the right password is refused from the throttled address...
    expect((await post('/api/auth/login', { email: u.email, password: u.password }, attacker)).status).toBe(429)
    // ...but the owner, elsewhere, is not locked out.
    expect(
      (await post('/api/auth/login', { email: u.email, password: u.password }, { origin: ours, 'x-forwarded-for': '198.51.100.20' }))
        .status,
    ).toBe(200)
  })

  test('the throttle waits longer after each further failure', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const ip = { origin: ours, 'x-forwarded-for': '203.0.113.8' }
    for (let i = 0; i < 5; i++) await post('/api/auth/login', { email: u.email, password: `guess-${i}-xxxx` }, ip)
    const first = Number((await post('/api/auth/login', { email: u.email, password: 'x-guess-xxxx' }, ip)).headers.get('retry-after'))
    // Let the wait pass, fail once more: the next wait doubles.
    await ctx.db
      .sql`update rate_limits set last_hit_at = last_hit_at - interval '10 minutes' where key like ${'login:account-ip:' + u.email + '%'}`
    expect((await post('/api/auth/login', { email: u.email, password: 'y-guess-xxxx' }, ip)).status).toBe(401)
    const second = Number((await post('/api/auth/login', { email: u.email, password: 'z-guess-xxxx' }, ip)).headers.get('retry-after'))
    expect(second).toBeGreaterThan(first)
  })

  test('one address spraying many accounts is throttled too', async () => {
    const ip = { origin: ours, 'x-forwarded-for': '203.0.113.99' }
    let status = 0
    for (let i = 0; i < 51 && status !== 429; i++)
      status = (await post('/api/auth/login', { email: `nobody-${i}@example.com`, password: 'whatever-xxxx' }, ip)).status
    expect(status).toBe(429)
  })

  test('sign-ups and reset requests are throttled per address', async () => {
    const ip = { origin: ours, 'x-forwarded-for': '203.0.113.50' }
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await post('/api/auth/signup', { email: `s${i}-${crypto.randomUUID()}@example.com`, password: 'tidy ledger lamp 42' }, ip)).status,
      )
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true)
    expect(statuses[10]).toBe(429)
    const resets: number[] = []
    for (let i = 0; i < 6; i++) resets.push((await post('/api/auth/password-reset', { email: `r${i}@example.com` }, ip)).status)
    expect(resets.slice(0, 5).every((s) => s === 202)).toBe(true)
    expect(resets[5]).toBe(429)
  })
})

describe('no account enumeration', () => {
  const strip = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> })
  const withoutRequestId = ({ status, body }: { status: number; body: Record<string, unknown> }) => {
    const { requestId: _r, ...rest } = body
    return { status, body: rest }
  }

  test('sign-up answers identically for a taken and a free email', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const taken = await strip(
      await post('/api/auth/signup', { email: u.email, password: 'tidy ledger lamp 42' }, { origin: ours, 'x-forwarded-for': '192.0.2.1' }),
    )
    const free = await strip(
      await post(
        '/api/auth/signup',
        { email: `free-${crypto.randomUUID()}@example.com`, password: 'tidy ledger lamp 42' },
        { origin: ours, 'x-forwarded-for': '192.0.2.1' },
      ),
    )
    expect(taken).toEqual(free)
  })

  test('login answers identically for a wrong password and an unknown email', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const wrong = withoutRequestId(
      await strip(
        await post('/api/auth/login', { email: u.email, password: 'not-the-password' }, { origin: ours, 'x-forwarded-for': '192.0.2.2' }),
      ),
    )
    const unknown = withoutRequestId(
      await strip(
        await post(
          '/api/auth/login',
          { email: `ghost-${crypto.randomUUID()}@example.com`, password: 'not-the-password' },
          { origin: ours, 'x-forwarded-for': '192.0.2.2' },
        ),
      ),
    )
    expect(wrong).toEqual(unknown)
    expect(wrong.status).toBe(401)
  })

  test('password reset answers identically for a known and an unknown email', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const known = await strip(await post('/api/auth/password-reset', { email: u.email }, { origin: ours, 'x-forwarded-for': '192.0.2.3' }))
    const unknown = await strip(
      await post(
        '/api/auth/password-reset',
        { email: `ghost-${crypto.randomUUID()}@example.com` },
        { origin: ours, 'x-forwarded-for': '192.0.2.3' },
      ),
    )
    expect(known).toEqual(unknown)
  })
})

describe('prototype pollution', () => {
  test('__proto__ and constructor keys in a JSON body change nothing', async () => {
    const body = `{"email":"pp-${crypto.randomUUID()}@example.com","password":"tidy ledger lamp 42","__proto__":{"polluted":true,"isAdmin":true},"constructor":{"prototype":{"polluted2":true}}}`
    const res = await ctx.app.handle(
      request('/api/auth/signup', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', origin: ours, 'x-forwarded-for': '192.0.2.9' },
      }),
    )
    expect(res.status).toBe(202)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined()
  })

  test('__proto__ and constructor cookies change nothing and do not authenticate', async () => {
    const res = await ctx.app.handle(
      request('/api/auth/me', { headers: { cookie: '__proto__=x; constructor=y; __Host-kt_access[__proto__]=z' } }),
    )
    expect(res.status).toBe(401)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
    const u = await makeUser(ctx.db.sql, ctx.config)
    const ok = await ctx.app.handle(request('/api/auth/me', { headers: { cookie: `__proto__=x; ${u.browser.cookie}` } }))
    expect(ok.status).toBe(200)
  })
})
