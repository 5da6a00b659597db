// The role matrix, generated: every route in /api/openapi.json (and every route
// the app registers) is called as a stranger, a viewer, an editor and the
// owner, and must answer what accessRules.ts says: 404 for a non-member, 403
// naming the role for a member below it, and past the access check for the rest.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { makeAccessWorld, CAST_ROLES, type AccessWorld, type CastRole } from '../../testing/accessWorld.ts'
import { caller, makeCast, makeUser, type Cast } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { PUBLIC_ROUTES } from '../auth/guard.ts'
import { accessGuard } from './accessGuard.ts'
import { ACCESS_RULES, ROLE_RANK, type AccessRule } from './accessRules.ts'

type MemberRule = Extract<AccessRule, { kind: 'member' }>

let ctx: TestApp
let cast: Cast
let call: ReturnType<typeof caller>
let documented: string[]
let registered: string[]

const FAKE_ID = '00000000-0000-4000-8000-000000000000'

beforeAll(async () => {
  ctx = await createTestApp()
  call = caller(ctx.app)
  cast = await makeCast(ctx.db.sql, ctx.config)
  const spec = (await (await ctx.app.handle(request('/api/openapi.json'))).json()) as { paths: Record<string, Record<string, unknown>> }
  documented = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  )
  registered = ctx.app.routes.filter((r) => r.method !== 'OPTIONS' && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)
})
afterAll(() => ctx.close())

function pathFor(route: string, rule: MemberRule, world: AccessWorld, role: CastRole): string {
  const path = route.split(' ')[1]!
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'messageId') return world.conversations[role].messageId
    if (name === 'userId') return cast.viewer.id
    if (name === 'version') return '1'
    if (name === 'inviteId') return world.inviteId
    if (name === 'linkId') return world.linkId
    if (rule.target === 'video') return world.videoId
    if (rule.target === 'conversation') return world.conversations[role].id
    if (rule.target === 'artifact') return world.artifactId
    return world.collectionId
  })
}

function bodyFor(rule: MemberRule, world: AccessWorld): unknown {
  if (rule.target === 'body.collectionId') return { collectionId: world.collectionId }
  if (rule.target === 'body.artifactSource') return { kind: 'notes', videoId: world.videoId }
  return {}
}

/** What the matrix says `role` gets: its own conversation is always its own; everything else goes by rank. */
function expected(rule: MemberRule, role: CastRole): 'not found' | 'forbidden' | 'allowed' {
  if (role === 'stranger') return 'not found'
  if (rule.target === 'conversation') return 'allowed'
  return ROLE_RANK[role] >= ROLE_RANK[rule.role] ? 'allowed' : 'forbidden'
}

async function verdict(res: Response, want: ReturnType<typeof expected>, rule: MemberRule): Promise<string | null> {
  // A stream that is allowed stays open; this test only needs its status.
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : (await res.body?.cancel(), null)
  if (want === 'not found') return res.status === 404 ? null : `${res.status}, want 404`
  if (want === 'forbidden') {
    if (res.status !== 403) return `${res.status}, want 403`
    return body?.code === 'role_required' && body.requiredRole === rule.role && String(body.detail).includes(rule.role)
      ? null
      : `403 without naming ${rule.role}: ${JSON.stringify(body)}`
  }
  return [401, 403, 404].includes(res.status) ? `${res.status} ${body?.detail ?? ''}, want past the access check` : null
}

test('every documented and every registered route is in the matrix, and the matrix lists no route that does not exist', () => {
  expect(documented.length).toBeGreaterThan(40)
  expect(documented.filter((r) => !ACCESS_RULES[r])).toEqual([])
  expect(registered.filter((r) => !ACCESS_RULES[r])).toEqual([])
  expect(Object.keys(ACCESS_RULES).filter((r) => !registered.includes(r))).toEqual([])
})

test('the public rows of the matrix are exactly the routes the auth guard lets through', () => {
  const pub = Object.entries(ACCESS_RULES)
    .filter(([, r]) => r.kind === 'public')
    .map(([k]) => k)
  expect(pub.sort()).toEqual([...PUBLIC_ROUTES].sort())
})

test('every collection route answers each role as the matrix says', async () => {
  const failures: string[] = []
  let shared: AccessWorld | null = null
  for (const route of documented) {
    const rule = ACCESS_RULES[route]
    if (rule?.kind !== 'member') continue
    const method = route.split(' ')[0]!
    for (const role of CAST_ROLES) {
      // Reads share one world; anything that may change it gets its own.
      const world = method === 'GET' ? (shared ??= await makeAccessWorld(ctx, cast)) : await makeAccessWorld(ctx, cast)
      const res = await call(cast[role], pathFor(route, rule, world, role), {
        method,
        json: method === 'GET' ? undefined : bodyFor(rule, world),
      })
      const wrong = await verdict(res, expected(rule, role), rule)
      if (wrong) failures.push(`${route} as ${role}: ${wrong}`)
    }
  }
  expect(failures).toEqual([])
  // Hundreds of requests, each on a fresh world of rows: ~45 s on a loaded machine, over a minute on a very loaded one.
}, 300_000)

test('every signed-in route outside collections lets any signed-in user past the access check', async () => {
  const failures: string[] = []
  for (const route of documented) {
    const rule = ACCESS_RULES[route]
    if (rule?.kind !== 'user' && rule?.kind !== 'account') continue
    const [method, path] = route.split(' ') as [string, string]
    // Its own user: some of these (log out everywhere) end the caller's sessions.
    const user = await makeUser(ctx.db.sql, ctx.config, 'someone')
    const res = await call(user, path.replace(/:(\w+)/g, FAKE_ID) + (path.endsWith('search') ? '?q=cache' : ''), {
      method,
      json: method === 'GET' ? undefined : {},
    })
    await res.body?.cancel()
    if ([401, 403].includes(res.status)) failures.push(`${route}: ${res.status}`)
  }
  expect(failures).toEqual([])
})

test('a route added without a rule is refused, not served', async () => {
  let served = false
  const app = new Elysia()
    .use(
      accessGuard({
        sql: ctx.db.sql,
        targets: { video: async () => undefined, conversation: async () => undefined, artifact: async () => undefined },
      }),
    )
    .onError(({ error }) => Response.json({ code: (error as { code?: string }).code }, { status: 500 }))
    .get('/api/not-in-the-matrix', () => (served = true))
  const res = await app.handle(request('/api/not-in-the-matrix'))
  expect(await res.json()).toEqual({ code: 'access_rule_missing' })
  expect(served).toBe(false)
})
