// API key scopes, generated from the role matrix: every route in
// /api/openapi.json is called with a read key and a write key. Account routes
// refuse both (403 api_key_not_allowed), `write` routes refuse the read key
// (403 api_key_scope), and every other route lets the key past the scope check
// (the role matrix then decides, as for a session).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { caller, makeUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { ACCESS_RULES } from '../collections/accessRules.ts'

const FAKE_ID = '00000000-0000-4000-8000-000000000000'
let ctx: TestApp
let documented: string[]

beforeAll(async () => {
  ctx = await createTestApp()
  const spec = (await (await ctx.app.handle(request('/api/openapi.json'))).json()) as { paths: Record<string, Record<string, unknown>> }
  documented = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  )
})
afterAll(() => ctx.close())

function expectedCode(route: string, scope: 'read' | 'write'): string | null {
  const rule = ACCESS_RULES[route]!
  if (rule.kind === 'account') return 'api_key_not_allowed'
  if (rule.kind !== 'public' && rule.scope === 'write' && scope === 'read') return 'api_key_scope'
  return null
}

test('every route answers a read key and a write key as its scope in the matrix says', async () => {
  const failures: string[] = []
  let checked = 0
  // Fake ids and empty bodies: no call gets far enough to change what the next one sees.
  const user = await makeUser(ctx.db.sql, ctx.config, 'keyed')
  for (const scope of ['read', 'write'] as const) {
    const created = await caller(ctx.app)(user, '/api/auth/api-keys/', { method: 'POST', json: { name: `${scope} matrix`, scope } })
    const { secret } = await created.json()
    for (const route of documented) {
      const rule = ACCESS_RULES[route]
      if (!rule || rule.kind === 'public') continue
      const [method, path] = route.split(' ') as [string, string]
      const res = await ctx.app.handle(
        request(path.replace(/:(\w+)/g, FAKE_ID), {
          method,
          headers: { authorization: `Bearer ${secret}` },
          json: method === 'GET' ? undefined : {},
        }),
      )
      const body = res.headers.get('content-type')?.includes('json') ? await res.json() : (await res.body?.cancel(), null)
      const want = expectedCode(route, scope)
      checked++
      if (want && (res.status !== 403 || body?.code !== want))
        failures.push(`${route} with a ${scope} key: ${res.status} ${body?.code}, want 403 ${want}`)
      if (!want && (res.status === 401 || String(body?.code).startsWith('api_key')))
        failures.push(`${route} with a ${scope} key: ${res.status} ${body?.code}, want past the key check`)
    }
  }
  expect(checked).toBeGreaterThan(80)
  expect(failures).toEqual([])
})
