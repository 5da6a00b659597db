// Every answer of a running api carries the security headers; API answers are
// per user, so they are not stored by caches unless a route says otherwise.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../testing/factories.ts'
import { createTestApp, type TestApp } from '../testing/testApp.ts'
import { loadConfig } from './platform/config.ts'
import { createLogger } from './platform/logger.ts'
import { startServer, type RunningServer } from './server.ts'

let ctx: TestApp
let api: RunningServer
let user: TestUser

beforeAll(async () => {
  ctx = await createTestApp()
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: ctx.db.url,
    PORT: '0',
    LOG_LEVEL: 'error',
    JWT_SECRET: ctx.config.JWT_SECRET!,
    PUBLIC_URL: ctx.config.PUBLIC_URL,
  })
  api = await startServer(config, createLogger('error'), {
    web: async () => new Response('<!doctype html><p>page</p>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
  })
  user = await makeUser(ctx.db.sql, ctx.config)
})
afterAll(async () => {
  await api.stop()
  await ctx.close()
})

test('an authenticated API answer: nosniff, referrer and permissions policies, no-store, never framed', async () => {
  const res = await fetch(`${api.url}/api/auth/me`, { headers: user.bearer })
  expect(res.status).toBe(200)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  expect(res.headers.get('permissions-policy')).toContain('camera=()')
  expect(res.headers.get('cache-control')).toBe('no-store')
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  // Not production over https: no HSTS pinning a developer's browser.
  expect(res.headers.get('strict-transport-security')).toBeNull()
})

test('errors and pages carry them too', async () => {
  const err = await fetch(`${api.url}/api/auth/me`)
  expect(err.status).toBe(401)
  expect(err.headers.get('x-content-type-options')).toBe('nosniff')
  const page = await fetch(`${api.url}/collections`)
  expect(page.headers.get('x-content-type-options')).toBe('nosniff')
  expect(page.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
})

test('production over https adds Strict-Transport-Security', async () => {
  const { withSecurityHeaders } = await import('./platform/securityHeaders.ts')
  expect(withSecurityHeaders(new Response('x'), { api: false, hsts: true }).headers.get('strict-transport-security')).toContain(
    'max-age=31536000',
  )
})
