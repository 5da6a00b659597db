// Open streams end when their reader loses access: every way a session is
// revoked, and a member removed from the collection, on every api instance.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { readSse, type SseEvent } from '../../testing/sseClient.ts'
import { createSecondInstance, createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { announceAccessLost } from '../collections/access.ts'
import { notifyVideoChanged } from '../videos/sql.ts'
import { createStreamAccess } from '../platform/streamAccess.ts'
import { hashToken, newOpaqueToken } from './secureTokens.ts'
import * as q from './sql.ts'
import { streamOwnerCheck } from './streamOwnerCheck.ts'

let ctx: TestApp
let second: Awaited<ReturnType<typeof createSecondInstance>>
const origin = { origin: 'http://localhost:3000' }

beforeAll(async () => {
  ctx = await createTestApp()
  // No timed re-check within a test: a stream here ends only when its revocation is announced.
  second = await createSecondInstance(ctx, {}, { recheckMs: 3_600_000 })
})
afterAll(async () => {
  await second.close()
  await ctx.close()
})

async function collectionOf(user: TestUser): Promise<string> {
  const [c] = await ctx.db.sql`insert into collections (owner_id, name) values (${user.id}, 'Watched') returning id`
  await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${c!.id}, ${user.id}, 'owner')`
  return c!.id
}

/** Opens the collection's progress stream (on the second instance by default) and resolves once it is live. */
async function openProgress(user: TestUser, collectionId: string, app = second.app): Promise<{ events: Promise<SseEvent[]> }> {
  const res = await app.handle(request(`/api/collections/${collectionId}/events`, { headers: user.bearer }))
  expect(res.status).toBe(200)
  let live: () => void
  const opened = new Promise<void>((resolve) => (live = resolve))
  const events = readSse(res, { onEvent: (e) => e.event === 'snapshot' && live() })
  await opened
  // Wrapped: an async function would wait for a returned promise (the whole stream).
  return { events }
}

const post = (path: string, headers: Record<string, string>, json?: unknown) =>
  ctx.app.handle(request(path, { method: 'POST', headers: { ...origin, ...headers }, json }))

async function resetPassword(u: TestUser) {
  const token = newOpaqueToken()
  await q.insertEmailToken(ctx.db.sql, {
    tokenHash: hashToken(token),
    userId: u.id,
    purpose: 'reset_password',
    email: u.email,
    ttlSeconds: 600,
  })
  await post('/api/auth/password-reset/confirm', {}, { token, password: 'another fine passphrase 7' })
}

describe('a revoked session closes its open streams on every instance', () => {
  const paths: [string, (u: TestUser) => Promise<unknown>][] = [
    ['logout', (u) => post('/api/auth/logout', {}, { refreshToken: u.refreshToken })],
    ['log out everywhere', (u) => post('/api/auth/logout-all', u.bearer)],
    [
      'signing the session out from settings',
      async (u) => {
        const other = await (await post('/api/auth/login', {}, { email: u.email, password: u.password, mode: 'token' })).json()
        await ctx.app.handle(
          request(`/api/auth/sessions/${u.sessionId}`, { method: 'DELETE', headers: { authorization: `Bearer ${other.accessToken}` } }),
        )
      },
    ],
    ['a password reset', resetPassword],
  ]
  for (const [name, revoke] of paths) {
    test(name, async () => {
      const u = await makeUser(ctx.db.sql, ctx.config)
      const { events: stream } = await openProgress(u, await collectionOf(u))
      await revoke(u)
      const events = await stream
      expect(events.at(-1)!.event).toBe('revoked')
      expect(events.at(-1)!.data).toMatchObject({ code: 'access_revoked', reason: 'session' })
      expect((await second.app.handle(request('/api/auth/me', { headers: u.bearer }))).status).toBe(401)
    })
  }

  test('an answer stream (chat) ends too, by the same mechanism', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(u)
    const [conv] = await ctx.db.sql`insert into conversations (collection_id, user_id) values (${collectionId}, ${u.id}) returning id`
    const [m] = await ctx.db
      .sql`insert into messages (conversation_id, role, content, status) values (${conv!.id}, 'assistant', '', 'streaming') returning id`
    const res = await second.app.handle(request(`/api/conversations/${conv!.id}/messages/${m!.id}/stream`, { headers: u.bearer }))
    expect(res.status).toBe(200)
    const events = readSse(res)
    expect(second.access.watched()).toBeGreaterThan(0)
    await post('/api/auth/logout-all', u.bearer)
    expect((await events).at(-1)!.event).toBe('revoked')
  })

  test("someone else's revocation leaves a stream alone", async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const other = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(u)
    const res = await second.app.handle(request(`/api/collections/${collectionId}/events`, { headers: u.bearer }))
    const abort = new AbortController()
    const seen: string[] = []
    const events = readSse(res, { onEvent: (e) => seen.push(e.event), stopAfter: () => abort.signal.aborted })
    while (!seen.includes('snapshot')) await Bun.sleep(10)
    await post('/api/auth/logout-all', other.bearer)
    // Notifications reach an instance in order: once this later video change
    // arrives, the other user's revocation has been handled.
    const [v] = await ctx.db
      .sql`insert into videos (collection_id, source_type, title, status) values (${collectionId}, 'transcript', 'Later', 'queued') returning id`
    await notifyVideoChanged(ctx.db.sql, collectionId, v!.id)
    while (!seen.includes('video')) await Bun.sleep(10)
    abort.abort()
    expect(seen).not.toContain('revoked')
    void events
  })
})

describe('access to a collection', () => {
  test('a member removed from the collection loses its stream (announceAccessLost, the call sharing makes)', async () => {
    const owner = await makeUser(ctx.db.sql, ctx.config)
    const member = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(owner)
    await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${collectionId}, ${member.id}, 'viewer')`
    const { events: stream } = await openProgress(member, collectionId)
    await ctx.db.sql.begin(async (tx) => {
      await tx`delete from collection_members where collection_id = ${collectionId} and user_id = ${member.id}`
      await announceAccessLost(tx, member.id, collectionId)
    })
    expect((await stream).at(-1)!.event).toBe('revoked')
  })

  test('a removed member loses a document stream of the collection too (a video note being written)', async () => {
    const owner = await makeUser(ctx.db.sql, ctx.config)
    const member = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(owner)
    await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${collectionId}, ${member.id}, 'viewer')`
    const [video] = await ctx.db
      .sql`insert into videos (collection_id, added_by, source_type, title, status) values (${collectionId}, ${owner.id}, 'transcript', 'Talk', 'ready') returning id`
    const [artifact] = await ctx.db.sql`
      insert into artifacts (user_id, collection_id, video_id, kind, title) values (${owner.id}, ${collectionId}, ${video!.id}, 'notes', 'Notes')
      returning id`
    await ctx.db.sql`
      insert into artifact_versions (artifact_id, version, origin, status, stream_id)
      values (${artifact!.id}, 1, 'generated', 'streaming', ${crypto.randomUUID()})`
    const res = await second.app.handle(request(`/api/artifacts/${artifact!.id}/versions/1/stream`, { headers: member.bearer }))
    expect(res.status).toBe(200)
    const events = readSse(res)
    await ctx.db.sql.begin(async (tx) => {
      await tx`delete from collection_members where collection_id = ${collectionId} and user_id = ${member.id}`
      await announceAccessLost(tx, member.id, collectionId)
    })
    const last = (await events).at(-1)!
    expect(last.event).toBe('revoked')
    expect(last.data).toMatchObject({ reason: 'collection' })
  })

  test('revoking an API key ends the streams opened with it, and a password reset ends those of every key', async () => {
    const u = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(u)
    const newKey = async () =>
      (await (await post('/api/auth/api-keys', u.bearer, { name: 'script', scope: 'read' })).json()) as { id: string; secret: string }
    const [revoked, kept] = [await newKey(), await newKey()]
    const asKey = (key: { secret: string }) => ({ ...u, bearer: { authorization: `Bearer ${key.secret}` } })
    const { events: revokedStream } = await openProgress(asKey(revoked), collectionId)
    const { events: keptStream } = await openProgress(asKey(kept), collectionId)
    const before = second.access.watched()
    const res = await ctx.app.handle(request(`/api/auth/api-keys/${revoked.id}`, { method: 'DELETE', headers: { ...origin, ...u.bearer } }))
    expect(res.status).toBe(204)
    expect((await revokedStream).at(-1)!.event).toBe('revoked')
    expect(second.access.watched()).toBe(before - 1)
    await resetPassword(u)
    expect((await keptStream).at(-1)!.event).toBe('revoked')
  })

  const sharingPaths: [string, (owner: TestUser, member: TestUser, collectionId: string) => Promise<Response>][] = [
    [
      'removed by the owner',
      (owner, member, id) =>
        ctx.app.handle(
          request(`/api/collections/${id}/members/${member.id}`, { method: 'DELETE', headers: { ...origin, ...owner.bearer } }),
        ),
    ],
    ['leaving the collection', (_owner, member, id) => post(`/api/collections/${id}/leave`, member.bearer)],
  ]
  for (const [name, change] of sharingPaths) {
    test(`a member ${name} loses their open stream of it, and only of it`, async () => {
      const owner = await makeUser(ctx.db.sql, ctx.config)
      const member = await makeUser(ctx.db.sql, ctx.config)
      const collectionId = await collectionOf(owner)
      const own = await collectionOf(member)
      await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${collectionId}, ${member.id}, 'editor')`
      const { events: stream } = await openProgress(member, collectionId)
      const before = second.access.watched()
      const { events: ownStream } = await openProgress(member, own)
      expect((await change(owner, member, collectionId)).status).toBe(204)
      const last = (await stream).at(-1)!
      expect(last.event).toBe('revoked')
      // The page tells "lost the collection" from "signed out" by this.
      expect(last.data).toMatchObject({ reason: 'collection', detail: 'You no longer have access to this collection.' })
      // The member's stream of their own collection is still watched (still open).
      expect(second.access.watched()).toBe(before)
      await post('/api/auth/logout-all', member.bearer)
      expect((await ownStream).at(-1)!.event).toBe('revoked')
    })
  }
})

describe('without NOTIFY (the embedded database), the re-check is the bound', () => {
  test('a session or API key revoked behind the listeners’ back, and a removed member, are closed by the next re-check', async () => {
    const access = createStreamAccess(ctx.db.sql, {
      mode: 'poll',
      logger: ctx.logger,
      check: streamOwnerCheck(ctx.db.sql),
      recheckMs: 60_000,
    })
    try {
      const u = await makeUser(ctx.db.sql, ctx.config)
      const member = await makeUser(ctx.db.sql, ctx.config)
      const collectionId = await collectionOf(u)
      await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${collectionId}, ${member.id}, 'viewer')`
      const closed: string[] = []
      access.watch({ sessionId: u.sessionId, userId: u.id, collectionId }, () => closed.push('revoked session'))
      access.watch({ sessionId: member.sessionId, userId: member.id, collectionId }, () => closed.push('removed member'))
      const [key] = await ctx.db
        .sql`insert into api_keys (user_id, name, prefix, secret_hash, scope) values (${member.id}, 'k', 'kt_test', ${Buffer.from(crypto.getRandomValues(new Uint8Array(32)))}, 'read') returning id`
      access.watch({ sessionId: null, apiKeyId: key!.id, userId: member.id, collectionId: null }, () => closed.push('revoked key'))
      await access.recheck()
      expect(closed).toEqual([])
      // No NOTIFY: straight to the tables, as a path that bypassed the announcement would.
      await ctx.db.sql`update sessions set revoked_at = now(), revoked_reason = 'revoked' where id = ${u.sessionId}`
      await ctx.db.sql`delete from collection_members where collection_id = ${collectionId} and user_id = ${member.id}`
      await ctx.db.sql`update api_keys set revoked_at = now(), revoked_reason = 'revoked' where id = ${key!.id}`
      await access.recheck()
      expect(closed.sort()).toEqual(['removed member', 'revoked key', 'revoked session'])
      expect(access.watched()).toBe(0)
    } finally {
      await access.shutdown()
    }
  })
})
