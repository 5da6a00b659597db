import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { t } from 'elysia'
import { makeUser } from '../testing/factories.ts'
import { createTestApp, request as anonymous, type TestApp } from '../testing/testApp.ts'
import { ACCESS_RULES } from './collections/accessRules.ts'
import { NotFoundError } from './platform/errors.ts'

let ctx: TestApp
let app: ReturnType<typeof build>
let bearer: Record<string, string> = {}
// The test routes are not public, so calls carry a signed-in user's token.
const request: typeof anonymous = (path, init = {}) =>
  anonymous(path, { ...init, headers: { ...bearer, ...(init.headers as Record<string, string>) } })

// Routes that exist only in this test, to drive each error path through the
// real plugins and the real root error handler.
function build(base: TestApp['app']) {
  return base
    .post('/api/_test/echo', ({ body }) => body, { body: t.Object({ name: t.String({ minLength: 1 }), count: t.Integer({ minimum: 0 }) }) })
    .get('/api/_test/missing', () => {
      throw new NotFoundError('Collection')
    })
    .get('/api/_test/boom', () => {
      throw new Error('relation "secret_table" does not exist at /srv/app/server/x.ts:12')
    })
}

// Every route needs a row in the role matrix; these exist only while this file runs.
const TEST_ROUTES = ['POST /api/_test/echo', 'GET /api/_test/missing', 'GET /api/_test/boom']

beforeAll(async () => {
  for (const route of TEST_ROUTES) ACCESS_RULES[route] = { kind: 'user', scope: 'read' }
  ctx = await createTestApp({ BODY_LIMIT_BYTES: '2048' })
  app = build(ctx.app)
  bearer = (await makeUser(ctx.db.sql, ctx.config)).bearer
})
afterAll(async () => {
  for (const route of TEST_ROUTES) delete ACCESS_RULES[route]
  await ctx.close()
})

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  const body = await res.json()
  expect(body.requestId).toBe(res.headers.get('x-request-id'))
  expect(typeof body.code).toBe('string')
  expect(typeof body.title).toBe('string')
  expect(typeof body.detail).toBe('string')
  expect(body.status).toBe(res.status)
  return body
}

describe('errors are problem+json', () => {
  test('unknown route is a 404 with a stable code', async () => {
    const res = await app.handle(request('/api/does-not-exist'))
    expect(res.status).toBe(404)
    expect((await problem(res)).code).toBe('route_not_found')
  })

  test('validation failure names the field', async () => {
    const res = await app.handle(request('/api/_test/echo', { method: 'POST', json: { name: 'x', count: 'many' } }))
    expect(res.status).toBe(422)
    const body = await problem(res)
    expect(body.code).toBe('validation_failed')
    expect(body.detail).toContain('count')
    expect(body.errors.map((e: { field: string }) => e.field)).toContain('count')
  })

  test('malformed JSON is a 400', async () => {
    const res = await app.handle(
      request('/api/_test/echo', { method: 'POST', body: '{"name": ', headers: { 'content-type': 'application/json' } }),
    )
    expect(res.status).toBe(400)
    expect((await problem(res)).code).toBe('malformed_body')
  })

  test('a thrown domain error keeps its status and code', async () => {
    const res = await app.handle(request('/api/_test/missing'))
    expect(res.status).toBe(404)
    const body = await problem(res)
    expect(body.code).toBe('not_found')
    expect(body.detail).toBe('Collection not found.')
  })

  test('an unexpected exception is a 500 that leaks nothing, logged with the request id', async () => {
    const res = await app.handle(request('/api/_test/boom', { headers: { 'x-request-id': 'req-boom-123' } }))
    expect(res.status).toBe(500)
    const text = await res.clone().text()
    expect(text).not.toContain('secret_table')
    expect(text).not.toContain('/srv/app')
    expect(text).not.toContain('stack')
    const body = await problem(res)
    expect(body.code).toBe('internal_error')
    expect(body.requestId).toBe('req-boom-123')
    expect(ctx.logs.some((l) => l.includes('req-boom-123') && l.includes('secret_table'))).toBe(true)
  })

  test('a body over the limit is a 413', async () => {
    const res = await app.handle(request('/api/_test/echo', { method: 'POST', json: { name: 'x'.repeat(5000), count: 1 } }))
    expect(res.status).toBe(413)
    expect((await problem(res)).code).toBe('payload_too_large')
  })

  test('every request is logged with id, method, route, status and duration', async () => {
    await app.handle(request('/healthz', { headers: { 'x-request-id': 'req-log-check' } }))
    await Bun.sleep(5)
    const line = ctx.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-log-check' && l.msg === 'request')
    expect(line).toMatchObject({ method: 'GET', route: '/healthz', status: 200 })
    expect(typeof line.durationMs).toBe('number')
  })
})

describe('openapi', () => {
  test('the spec is generated from the route schemas', async () => {
    const res = await app.handle(request('/api/openapi.json'))
    expect(res.status).toBe(200)
    const spec = await res.json()
    expect(spec.openapi).toMatch(/^3\./)
    expect(Object.keys(spec.paths)).toContain('/readyz')
  })
})
