// Personal API keys over HTTP: shown once and stored hashed, acting as their
// user cut down to their scope, never on account routes, stopped at once by
// revoking, expiry, a password reset or deleting the user, and each with its
// own budget of requests per minute.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { caller, makeCollection, makeUser, type TestUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { hashToken, newOpaqueToken } from '../auth/secureTokens.ts'

const PER_MINUTE = 6
let ctx: TestApp
let call: ReturnType<typeof caller>

beforeAll(async () => {
  ctx = await createTestApp({ API_KEY_REQUESTS_PER_MINUTE: String(PER_MINUTE) })
  call = caller(ctx.app)
})
afterAll(() => ctx.close())

type Created = { id: string; prefix: string; secret: string; scope: string; lastUsedAt: string | null }

async function createKey(user: TestUser, scope: 'read' | 'write', extra: Record<string, unknown> = {}): Promise<Created> {
  const res = await call(user, '/api/auth/api-keys/', { method: 'POST', json: { name: `${scope} key`, scope, ...extra } })
  expect(res.status).toBe(201)
  return res.json()
}
/** `call` with the key instead of the user's session. */
const withKey = (key: { secret: string }, path: string, init: RequestInit & { json?: unknown } = {}) =>
  ctx.app.handle(
    request(path, { ...init, headers: { authorization: `Bearer ${key.secret}`, ...(init.headers as Record<string, string>) } }),
  )
const problem = async (res: Response) => ({ status: res.status, code: (await res.json()).code })

describe('creating and listing keys', () => {
  test('the secret is in the create answer only, and only its SHA-256 is stored', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config, 'scripter')
    const key = await createKey(user, 'read', { expiresInDays: 30 })
    expect(key.secret).toMatch(/^kt_[A-Za-z0-9_-]{43}$/)
    expect(key.secret.startsWith(key.prefix)).toBe(true)
    const listed = await (await call(user, '/api/auth/api-keys/')).json()
    expect(listed).toEqual([
      expect.objectContaining({ id: key.id, name: 'read key', prefix: key.prefix, scope: 'read', lastUsedAt: null, expired: false }),
    ])
    expect(JSON.stringify(listed)).not.toContain(key.secret)
    const [row] = await ctx.db.sql`select * from api_keys where id = ${key.id}`
    expect(Buffer.from(row!.secretHash).equals(createHash('sha256').update(key.secret).digest())).toBe(true)
    expect(JSON.stringify(row)).not.toContain(key.secret.slice(12))
  })

  test('someone else’s key cannot be revoked (404), and stays working', async () => {
    const [alice, mallory] = [await makeUser(ctx.db.sql, ctx.config, 'alice'), await makeUser(ctx.db.sql, ctx.config, 'mallory')]
    const key = await createKey(alice, 'read')
    expect(await problem(await call(mallory, `/api/auth/api-keys/${key.id}`, { method: 'DELETE' }))).toEqual({
      status: 404,
      code: 'not_found',
    })
    expect((await withKey(key, '/api/auth/me')).status).toBe(200)
  })
})

describe('a key acts as its user, cut down to its scope', () => {
  test('a key reaches what its user may see and nothing else; its last use is recorded', async () => {
    const [owner, other] = [await makeUser(ctx.db.sql, ctx.config, 'keyowner'), await makeUser(ctx.db.sql, ctx.config, 'other')]
    const mine = await makeCollection(ctx, owner, { name: 'Mine' })
    const theirs = await makeCollection(ctx, other, { name: 'Theirs' })
    const key = await createKey(owner, 'read')
    const res = await withKey(key, '/api/collections/')
    expect(res.status).toBe(200)
    expect((await res.json()).map((c: { id: string }) => c.id)).toEqual([mine])
    expect((await withKey(key, `/api/collections/${theirs}`)).status).toBe(404)
    const [listed] = await (await call(owner, '/api/auth/api-keys/')).json()
    expect(listed.lastUsedAt).not.toBeNull()
  })

  test('a read key reads and is refused writes (403 api_key_scope); a write key writes within its user’s roles', async () => {
    const [owner, editor] = [await makeUser(ctx.db.sql, ctx.config, 'own'), await makeUser(ctx.db.sql, ctx.config, 'ed')]
    const collectionId = await makeCollection(ctx, owner, { members: [[editor, 'editor']] })
    const read = await createKey(owner, 'read')
    expect((await withKey(read, `/api/collections/${collectionId}/search?q=cache`)).status).toBe(200)
    expect(await problem(await withKey(read, `/api/collections/${collectionId}`, { method: 'PATCH', json: { name: 'Renamed' } }))).toEqual({
      status: 403,
      code: 'api_key_scope',
    })
    const write = await createKey(owner, 'write')
    expect((await withKey(write, `/api/collections/${collectionId}`, { method: 'PATCH', json: { name: 'Renamed' } })).status).toBe(200)
    // An editor's write key is still an editor's: renaming needs the owner.
    const editorKey = await createKey(editor, 'write')
    const refused = await withKey(editorKey, `/api/collections/${collectionId}`, { method: 'PATCH', json: { name: 'Mine now' } })
    expect(refused.status).toBe(403)
    expect((await refused.json()).requiredRole).toBe('owner')
  })

  test('a key is never accepted on account routes, whatever its scope', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config, 'acct')
    const key = await createKey(user, 'write')
    for (const [method, path] of [
      ['GET', '/api/auth/api-keys/'],
      ['POST', '/api/auth/api-keys/'],
      ['GET', '/api/auth/sessions'],
      ['POST', '/api/auth/logout-all'],
    ] as const) {
      expect(
        await problem(await withKey(key, path, { method, json: method === 'POST' ? { name: 'x', scope: 'write' } : undefined })),
      ).toEqual({ status: 403, code: 'api_key_not_allowed' })
    }
    expect(await (await call(user, '/api/auth/api-keys/')).json()).toHaveLength(1)
  })
})

describe('a key stops at once', () => {
  test('when revoked, when expired, and for a made-up key: 401 api_key_invalid', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config, 'revoker')
    const key = await createKey(user, 'read')
    expect((await withKey(key, '/api/auth/me')).status).toBe(200)
    expect((await call(user, `/api/auth/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await problem(await withKey(key, '/api/auth/me'))).toEqual({ status: 401, code: 'api_key_invalid' })
    expect(await (await call(user, '/api/auth/api-keys/')).json()).toEqual([])

    const expiring = await createKey(user, 'read', { expiresInDays: 1 })
    await ctx.db.sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expiring.id}`
    expect(await problem(await withKey(expiring, '/api/auth/me'))).toEqual({ status: 401, code: 'api_key_invalid' })
    expect((await (await call(user, '/api/auth/api-keys/')).json())[0]).toMatchObject({ id: expiring.id, expired: true })

    expect(await problem(await withKey({ secret: `kt_${'A'.repeat(43)}` }, '/api/auth/me'))).toEqual({
      status: 401,
      code: 'api_key_invalid',
    })
  })

  test('after a password reset (whoever had the old password may have made keys)', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config, 'reset')
    const key = await createKey(user, 'write')
    const token = newOpaqueToken()
    await ctx.db
      .sql`insert into email_tokens (token_hash, user_id, purpose, email, expires_at) values (${hashToken(token)}, ${user.id}, 'reset_password', ${user.email}, now() + interval '1 hour')`
    const origin = { origin: 'http://localhost:3000' }
    expect(
      (
        await ctx.app.handle(
          request('/api/auth/password-reset/confirm', {
            method: 'POST',
            headers: origin,
            json: { token, password: 'a brand new passphrase' },
          }),
        )
      ).status,
    ).toBe(200)
    expect(await problem(await withKey(key, '/api/auth/me'))).toEqual({ status: 401, code: 'api_key_invalid' })
  })

  test('when its user is deleted', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config, 'leaving')
    const key = await createKey(user, 'read')
    await ctx.db.sql`delete from users where id = ${user.id}`
    expect(await problem(await withKey(key, '/api/auth/me'))).toEqual({ status: 401, code: 'api_key_invalid' })
  })
})

test('each key has its own budget per minute: past it 429 with Retry-After, other keys unaffected', async () => {
  const user = await makeUser(ctx.db.sql, ctx.config, 'busy')
  const [busy, calm] = [await createKey(user, 'read'), await createKey(user, 'read')]
  for (let i = 0; i < PER_MINUTE; i++) expect((await withKey(busy, '/api/auth/me')).status).toBe(200)
  const refused = await withKey(busy, '/api/auth/me')
  expect(refused.status).toBe(429)
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  expect((await refused.json()).code).toBe('rate_limited')
  expect((await withKey(calm, '/api/auth/me')).status).toBe(200)
})
