// Conversations stay private to the member who started them until shared;
// a shared one is read-only for the other members.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { caller, makeCast, makeCollection, type TestUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
let call: ReturnType<typeof caller>
let owner: TestUser, viewer: TestUser
let collectionId: string

beforeAll(async () => {
  ctx = await createTestApp()
  call = caller(ctx.app)
  ;({ owner, viewer } = await makeCast(ctx.db.sql, ctx.config))
  collectionId = await makeCollection(ctx, owner, { members: [[viewer, 'viewer']] })
})
afterAll(() => ctx.close())

test('a member’s conversation is invisible to the others, even the owner, until shared; then read-only for them', async () => {
  const conv = await (await call(viewer, '/api/conversations', { method: 'POST', json: { collectionId, title: 'My notes' } })).json()
  expect(conv).toMatchObject({ shared: false, author: { id: viewer.id, displayName: 'viewer' } })
  expect((await call(owner, `/api/conversations/${conv.id}`)).status).toBe(404)
  expect(await (await call(owner, `/api/collections/${collectionId}/shared-conversations`)).json()).toEqual([])

  const sharing = await call(viewer, `/api/conversations/${conv.id}`, { method: 'PATCH', json: { shared: true } })
  expect((await sharing.json()).shared).toBe(true)
  expect((await call(owner, `/api/conversations/${conv.id}`)).status).toBe(200)
  expect((await call(owner, `/api/conversations/${conv.id}/export?format=markdown`)).status).toBe(200)
  const listed = await (await call(owner, `/api/collections/${collectionId}/shared-conversations`)).json()
  expect(listed.map((c: { id: string }) => c.id)).toEqual([conv.id])
  // Shared conversations are not the reader's own: their list stays theirs.
  expect((await (await call(owner, '/api/conversations')).json()).items.map((c: { id: string }) => c.id)).not.toContain(conv.id)

  for (const [method, path, json] of [
    ['POST', `/api/conversations/${conv.id}/messages`, { content: 'Can I post?' }],
    ['PATCH', `/api/conversations/${conv.id}`, { title: 'Renamed by someone else' }],
    ['DELETE', `/api/conversations/${conv.id}`, undefined],
  ] as const) {
    const res = await call(owner, path, { method, json })
    expect(`${method} ${res.status}`).toBe(`${method} 403`)
    expect((await res.json()).code).toBe('author_only')
  }

  await call(viewer, `/api/conversations/${conv.id}`, { method: 'PATCH', json: { shared: false } })
  expect((await call(owner, `/api/conversations/${conv.id}`)).status).toBe(404)
})
