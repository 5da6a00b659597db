// Deny by default: walks every route the app registers and calls it without
// credentials. Anything not on the public list must answer 401, so a route
// added later without thought fails here.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, request, type TestApp } from '../testing/testApp.ts'
import { PUBLIC_ROUTES } from './auth/guard.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(() => ctx.close())

const FAKE_PARAM = '00000000-0000-4000-8000-000000000000'

test('every non-public route answers 401 to an anonymous caller', async () => {
  const routes = ctx.app.routes.filter((r) => r.method !== 'OPTIONS' && r.method !== 'ALL')
  expect(routes.length).toBeGreaterThan(10)
  const failures: string[] = []
  for (const route of routes) {
    const key = `${route.method} ${route.path}`
    if (PUBLIC_ROUTES.has(key)) continue
    const path = route.path.replace(/:[A-Za-z_]+/g, FAKE_PARAM).replace(/\*$/, 'x')
    const res = await ctx.app.handle(
      request(path, {
        method: route.method,
        headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
        body: ['GET', 'HEAD'].includes(route.method) ? undefined : '{}',
      }),
    )
    if (res.status !== 401) failures.push(`${key} -> ${res.status}`)
  }
  expect(failures).toEqual([])
})

test('every public route exists (the list has no stale entries)', () => {
  const registered = new Set(ctx.app.routes.map((r) => `${r.method} ${r.path}`))
  const stale = [...PUBLIC_ROUTES].filter((r) => !registered.has(r) && !r.startsWith('GET /metrics'))
  expect(stale).toEqual([])
})
