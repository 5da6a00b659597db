// Forged and malformed access tokens never authenticate.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { SignJWT } from 'jose'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_TYPE, createAccessTokens } from './accessTokens.ts'
import { loadConfig } from '../platform/config.ts'
import { revokeSession } from './sql.ts'

let ctx: TestApp
let user: TestUser
let secret: Uint8Array

beforeAll(async () => {
  ctx = await createTestApp()
  user = await makeUser(ctx.db.sql, ctx.config)
  secret = new TextEncoder().encode(ctx.config.JWT_SECRET!)
})
afterAll(() => ctx.close())

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const me = (token: string) => ctx.app.handle(request('/api/auth/me', { headers: { authorization: `Bearer ${token}` } }))

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000)
  return {
    sub: user.id,
    sid: user.sessionId,
    iss: ctx.config.PUBLIC_URL,
    aud: ACCESS_TOKEN_AUDIENCE,
    iat: now,
    exp: now + 600,
    ...overrides,
  }
}

async function sign(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key: Uint8Array = secret) {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE, ...header } as never).sign(key)
}

describe('access token verification', () => {
  test('a genuine token works (control)', async () => {
    expect((await me(await sign(claims()))).status).toBe(200)
  })

  test('alg "none" is rejected', async () => {
    const token = `${b64({ alg: 'none', typ: ACCESS_TOKEN_TYPE })}.${b64(claims())}.`
    expect((await me(token)).status).toBe(401)
  })

  test('another algorithm (HS512 with the same secret) is rejected', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS512', typ: ACCESS_TOKEN_TYPE }).sign(secret)
    expect((await me(token)).status).toBe(401)
  })

  test('a tampered payload is rejected', async () => {
    const other = await makeUser(ctx.db.sql, ctx.config, 'other')
    const [h, , s] = (await sign(claims())).split('.')
    const forged = `${h}.${b64(claims({ sub: other.id, sid: other.sessionId }))}.${s}`
    expect((await me(forged)).status).toBe(401)
  })

  test('a token signed with another key is rejected', async () => {
    expect((await me(await sign(claims(), {}, new TextEncoder().encode('x'.repeat(48))))).status).toBe(401)
  })

  test('an expired token is rejected', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600
    const res = await me(await sign(claims({ iat: past - 900, exp: past })))
    expect(res.status).toBe(401)
    expect((await res.json()).code).toBe('token_invalid')
  })

  test('a wrong audience is rejected', async () => {
    expect((await me(await sign(claims({ aud: 'another-api' })))).status).toBe(401)
  })

  test('a wrong issuer is rejected', async () => {
    expect((await me(await sign(claims({ iss: 'https://evil.example' })))).status).toBe(401)
  })

  test('a wrong token type is rejected', async () => {
    expect((await me(await sign(claims(), { typ: 'JWT' }))).status).toBe(401)
  })

  test('a token without a session id is rejected', async () => {
    const { sid: _sid, ...rest } = claims()
    expect((await me(await sign(rest))).status).toBe(401)
  })

  test('garbage and malformed Authorization headers are rejected', async () => {
    expect((await me('not.a.jwt')).status).toBe(401)
    const res = await ctx.app.handle(request('/api/auth/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }))
    expect(res.status).toBe(401)
    expect((await res.json()).code).toBe('invalid_authorization_header')
  })

  test('a token for a revoked session is rejected at once', async () => {
    const victim = await makeUser(ctx.db.sql, ctx.config, 'revoked')
    expect((await me(victim.accessToken)).status).toBe(200)
    // Through the one function every session end goes through (it announces the
    // revocation, which the per-process session cache obeys).
    await revokeSession(ctx.db.sql, victim.sessionId, 'logout')
    const res = await me(victim.accessToken)
    expect(res.status).toBe(401)
    expect((await res.json()).code).toBe('session_invalid')
  })
})

describe('ACCESS_TOKEN_TTL_SECONDS', () => {
  let short: TestApp
  beforeAll(async () => {
    short = await createTestApp({ ACCESS_TOKEN_TTL_SECONDS: '45' })
  })
  afterAll(() => short.close())

  const lifetime = (token: string) => {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())
    return payload.exp - payload.iat
  }

  test('sets the lifetime of the tokens, of the access cookie and the expiresIn that clients renew by', async () => {
    const u = await makeUser(short.db.sql, short.config)
    const origin = { origin: new URL(short.config.PUBLIC_URL).origin }
    const login = (mode: 'token' | 'cookie') =>
      short.app.handle(
        request('/api/auth/login', { method: 'POST', json: { email: u.email, password: u.password, mode }, headers: origin }),
      )
    const issued = await (await login('token')).json()
    expect(issued.expiresIn).toBe(45)
    expect(lifetime(issued.accessToken)).toBe(45)
    const renewed = await (
      await short.app.handle(request('/api/auth/refresh', { method: 'POST', json: { refreshToken: issued.refreshToken }, headers: origin }))
    ).json()
    expect(renewed.expiresIn).toBe(45)
    expect(lifetime(renewed.accessToken)).toBe(45)
    const cookies = (await login('cookie')).headers.getSetCookie()
    expect(cookies.find((c) => c.includes('kt_access='))).toMatch(/Max-Age=45(;|$)/)
    // The default elsewhere.
    const other = await ctx.app.handle(
      request('/api/auth/login', {
        method: 'POST',
        json: { email: user.email, password: user.password, mode: 'token' },
        headers: { origin: new URL(ctx.config.PUBLIC_URL).origin },
      }),
    )
    expect(lifetime((await other.json()).accessToken)).toBe(900)
  })

  test('is refused outside 30..86400', () => {
    expect(() => loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '10' })).toThrow(/ACCESS_TOKEN_TTL_SECONDS/)
  })
})

describe('verified tokens remembered per process', () => {
  test('a remembered token still expires, and a changed byte is checked in full', async () => {
    const tokens = createAccessTokens(ctx.config.JWT_SECRET!, ctx.config.PUBLIC_URL, 1)
    const token = await tokens.sign({ sub: user.id, sid: user.sessionId })
    expect(await tokens.verify(token)).toEqual({ sub: user.id, sid: user.sessionId })
    const [head, body, signature] = token.split('.')
    const forged = b64({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sub: crypto.randomUUID() })
    expect(await tokens.verify(`${head}.${forged}.${signature}`)).toBeNull()
    // exp has second resolution: past it, the remembered token is refused too.
    await Bun.sleep(2100)
    expect(await tokens.verify(token)).toBeNull()
  })
})
