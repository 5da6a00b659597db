// Sign-up, login, email verification and password reset over real SMTP.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { linkIn, startTestSmtp, type TestSmtp } from '../../testing/smtpServer.ts'
import { makeUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { startTestWorker } from '../../testing/testWorker.ts'
import type { JobQueue } from '../platform/jobQueue.ts'
import { ARGON2_MEMORY_KIB, ARGON2_TIME_COST, commonPasswordCount } from './passwords.ts'

let ctx: TestApp
let smtp: TestSmtp
// The worker sends what the requests queue.
let worker: JobQueue
const origin = { origin: 'http://localhost:3000' }

beforeAll(async () => {
  smtp = await startTestSmtp()
  ctx = await createTestApp({ SMTP_URL: smtp.url })
  worker = await startTestWorker(ctx)
})
afterAll(async () => {
  await worker.stop({ timeoutMs: 1000 })
  await ctx.close()
  await smtp.stop()
})

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  ctx.app.handle(request(path, { method: 'POST', json, headers: { ...origin, ...headers } }))
const tokenFrom = (link: string) => new URL(link).searchParams.get('token')!

describe('sign-up and login', () => {
  test('signs up, logs in case-insensitively, and stores an argon2id hash with at least 19 MiB and 2 passes', async () => {
    expect((await post('/api/auth/signup', { email: 'Mixed.Case@Example.com', password: 'tidy ledger lamp 42' })).status).toBe(202)
    const [row] = await ctx.db.sql`select email, password_hash from users where email = 'mixed.case@example.com'`
    expect(row!.email).toBe('mixed.case@example.com')
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=\d+\$/.exec(row!.passwordHash)
    expect(m).not.toBeNull()
    expect(Number(m![1])).toBeGreaterThanOrEqual(ARGON2_MEMORY_KIB)
    expect(Number(m![1])).toBeGreaterThanOrEqual(19 * 1024)
    expect(Number(m![2])).toBeGreaterThanOrEqual(ARGON2_TIME_COST)
    expect(Number(m![2])).toBeGreaterThanOrEqual(2)
    expect((await post('/api/auth/login', { email: 'MIXED.case@example.COM', password: 'tidy ledger lamp 42' })).status).toBe(200)
    expect((await post('/api/auth/login', { email: 'mixed.case@example.com', password: 'tidy ledger lamp 43' })).status).toBe(401)
  })

  test('the same email in another case is one account', async () => {
    await post('/api/auth/signup', { email: 'dup@example.com', password: 'first passphrase ok' })
    await post('/api/auth/signup', { email: 'DUP@example.com', password: 'second passphrase ok' })
    const rows = await ctx.db.sql`select id from users where email = 'dup@example.com'`
    expect(rows).toHaveLength(1)
    expect((await post('/api/auth/login', { email: 'dup@example.com', password: 'second passphrase ok' })).status).toBe(401)
  })

  test.each([
    ['short', 'password_too_short'],
    ['password1', 'password_too_common'],
    ['iloveyou2', 'password_too_common'],
    ['x'.repeat(300), 'password_too_long'],
  ])('rejects the password %s with %s', async (password, code) => {
    const res = await post('/api/auth/signup', { email: `p-${crypto.randomUUID()}@example.com`, password })
    expect(res.status).toBe(422)
    expect((await res.json()).code).toBe(code)
  })

  test('the common-password list holds at least 10,000 entries', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000)
  })
})

describe('email verification', () => {
  test('the emailed link verifies the address once', async () => {
    const email = `verify-${crypto.randomUUID()}@example.com`
    await post('/api/auth/signup', { email, password: 'tidy ledger lamp 42' })
    const mail = await smtp.waitFor((m) => m.to.includes(email))
    const token = tokenFrom(linkIn(mail, 'http://localhost:3000/verify-email?token='))
    const [tokenRow] = await ctx.db.sql`select encode(token_hash, 'hex') as h from email_tokens where email = ${email}`
    expect(tokenRow!.h).not.toContain(Buffer.from(token).toString('hex'))
    expect((await post('/api/auth/verify-email', { token })).status).toBe(200)
    const [u] = await ctx.db.sql`select email_verified_at from users where email = ${email}`
    expect(u!.emailVerifiedAt).toBeInstanceOf(Date)
    // The same link again (a second click, a mail scanner): the address is confirmed, and it says so.
    const again = await post('/api/auth/verify-email', { token })
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ message: 'Your email address is already confirmed.', alreadyVerified: true })
    // A made-up token is still refused.
    const forged = await post('/api/auth/verify-email', { token: `${token}x` })
    expect(forged.status).toBe(422)
    expect((await forged.json()).code).toBe('token_invalid')
  })

  test('an expired verification link is refused', async () => {
    const email = `expired-${crypto.randomUUID()}@example.com`
    await post('/api/auth/signup', { email, password: 'tidy ledger lamp 42' })
    const token = tokenFrom(linkIn(await smtp.waitFor((m) => m.to.includes(email)), 'http://localhost:3000/verify-email?token='))
    await ctx.db.sql`update email_tokens set expires_at = now() - interval '1 second' where email = ${email}`
    expect((await post('/api/auth/verify-email', { token })).status).toBe(422)
  })

  test('verification links expire after 24 hours, reset links after 1 hour', async () => {
    const email = `ttl-${crypto.randomUUID()}@example.com`
    await post('/api/auth/signup', { email, password: 'tidy ledger lamp 42' })
    await post('/api/auth/password-reset', { email })
    // Two jobs, sent in either order.
    await smtp.waitFor((m) => m.to.includes(email) && m.raw.includes('Subject: Verify your'))
    await smtp.waitFor((m) => m.to.includes(email) && m.raw.includes('Subject: Reset your'))
    const rows = await ctx.db
      .sql`select purpose, round(extract(epoch from expires_at - created_at)) as ttl from email_tokens where email = ${email} order by purpose`
    expect(rows.map((r) => [r.purpose, Number(r.ttl)])).toEqual([
      ['reset_password', 3600],
      ['verify_email', 86400],
    ])
  })
})

describe('password reset', () => {
  test('a reset sets the new password, ends every session and cannot be reused', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config, 'resetter')
    expect((await post('/api/auth/password-reset', { email: u.email })).status).toBe(202)
    const token = tokenFrom(linkIn(await smtp.waitFor((m) => m.to.includes(u.email)), 'http://localhost:3000/reset-password?token='))
    const res = await post('/api/auth/password-reset/confirm', { token, password: 'brand new passphrase' })
    expect(res.status).toBe(200)
    expect((await ctx.app.handle(request('/api/auth/me', { headers: u.bearer }))).status).toBe(401)
    expect((await post('/api/auth/refresh', { refreshToken: u.refreshToken })).status).toBe(401)
    expect((await post('/api/auth/login', { email: u.email, password: u.password })).status).toBe(401)
    expect((await post('/api/auth/login', { email: u.email, password: 'brand new passphrase' })).status).toBe(200)
    expect((await post('/api/auth/password-reset/confirm', { token, password: 'another new passphrase' })).status).toBe(422)
  })

  test('a weak new password is refused and the token stays usable', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config, 'weak')
    await post('/api/auth/password-reset', { email: u.email })
    const token = tokenFrom(linkIn(await smtp.waitFor((m) => m.to.includes(u.email)), 'http://localhost:3000/reset-password?token='))
    expect((await post('/api/auth/password-reset/confirm', { token, password: 'password' })).status).toBe(422)
    expect((await post('/api/auth/password-reset/confirm', { token, password: 'a much better passphrase' })).status).toBe(200)
  })
})
