// Members of a shared collection: roles, removal, leaving and ownership
// transfer, including two transfers at once.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { caller, makeCast, makeCollection, makeUser, type TestUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
let call: ReturnType<typeof caller>
let owner: TestUser, editor: TestUser, viewer: TestUser

beforeAll(async () => {
  ctx = await createTestApp()
  call = caller(ctx.app)
  ;({ owner, editor, viewer } = await makeCast(ctx.db.sql, ctx.config))
})
afterAll(() => ctx.close())

const shared = () =>
  makeCollection(ctx, owner, {
    members: [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ],
  })
const roles = async (id: string) =>
  Object.fromEntries(
    ((await (await call(owner, `/api/collections/${id}/members`)).json()) as { userId: string; role: string }[]).map((m) => [
      m.userId,
      m.role,
    ]),
  )

describe('members and roles', () => {
  test('every member sees the member list, owner first; only the owner changes it', async () => {
    const id = await shared()
    const list = await (await call(viewer, `/api/collections/${id}/members`)).json()
    expect(list.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      [owner.id, 'owner'],
      [editor.id, 'editor'],
      [viewer.id, 'viewer'],
    ])
    expect(list[0]).toMatchObject({ email: owner.email, displayName: 'owner' })
    const refused = await call(editor, `/api/collections/${id}/members/${viewer.id}`, { method: 'PATCH', json: { role: 'editor' } })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ code: 'role_required', requiredRole: 'owner', role: 'editor' })
  })

  test('the owner promotes a viewer, who can then add videos', async () => {
    const id = await shared()
    expect(
      (await call(viewer, `/api/collections/${id}/videos/youtube`, { method: 'POST', json: { url: 'https://youtu.be/dQw4w9WgXcQ' } }))
        .status,
    ).toBe(403)
    const res = await call(owner, `/api/collections/${id}/members/${viewer.id}`, { method: 'PATCH', json: { role: 'editor' } })
    expect(res.status).toBe(200)
    expect((await roles(id))[viewer.id]).toBe('editor')
    expect((await (await call(viewer, `/api/collections/${id}`)).json()).role).toBe('editor')
    expect(
      (await call(viewer, `/api/collections/${id}/videos/youtube`, { method: 'POST', json: { url: 'https://youtu.be/dQw4w9WgXcQ' } }))
        .status,
    ).toBe(202)
  })

  test('the owner’s own role is fixed, nobody is made owner by a role change, and a non-member is not found', async () => {
    const id = await shared()
    const own = await call(owner, `/api/collections/${id}/members/${owner.id}`, { method: 'PATCH', json: { role: 'viewer' } })
    expect(own.status).toBe(409)
    expect((await own.json()).code).toBe('owner_role_fixed')
    expect((await call(owner, `/api/collections/${id}/members/${viewer.id}`, { method: 'PATCH', json: { role: 'owner' } })).status).toBe(
      422,
    )
    const stranger = await makeUser(ctx.db.sql, ctx.config, 'stranger')
    expect((await call(owner, `/api/collections/${id}/members/${stranger.id}`, { method: 'PATCH', json: { role: 'editor' } })).status).toBe(
      404,
    )
    expect((await call(owner, `/api/collections/${id}/members/${owner.id}`, { method: 'DELETE' })).status).toBe(409)
    expect(await roles(id)).toEqual({ [owner.id]: 'owner', [editor.id]: 'editor', [viewer.id]: 'viewer' })
  })

  test('a removed member loses the collection and its conversations at once; added back, they return', async () => {
    const id = await shared()
    const conv = (await (await call(viewer, '/api/conversations', { method: 'POST', json: { collectionId: id } })).json()).id
    expect((await call(owner, `/api/collections/${id}/members/${viewer.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await call(viewer, `/api/collections/${id}`)).status).toBe(404)
    expect((await call(viewer, `/api/conversations/${conv}`)).status).toBe(404)
    const mine = await (await call(viewer, '/api/conversations')).json()
    expect(mine.items.map((c: { id: string }) => c.id)).not.toContain(conv)
    expect((await (await call(viewer, '/api/collections')).json()).map((c: { id: string }) => c.id)).not.toContain(id)

    await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${id}, ${viewer.id}, 'viewer')`
    expect((await call(viewer, `/api/conversations/${conv}`)).status).toBe(200)
  })

  test('any member but the owner can leave', async () => {
    const id = await shared()
    expect((await call(viewer, `/api/collections/${id}/leave`, { method: 'POST' })).status).toBe(204)
    expect((await call(viewer, `/api/collections/${id}`)).status).toBe(404)
    const ownerLeaves = await call(owner, `/api/collections/${id}/leave`, { method: 'POST' })
    expect(ownerLeaves.status).toBe(409)
    expect((await ownerLeaves.json()).code).toBe('owner_cannot_leave')
  })
})

describe('ownership transfer', () => {
  test('goes to an editor at once; the old owner becomes an editor and loses owner rights', async () => {
    const id = await shared()
    const toViewer = await call(owner, `/api/collections/${id}/transfer`, { method: 'POST', json: { userId: viewer.id } })
    expect(toViewer.status).toBe(409)
    expect((await toViewer.json()).code).toBe('transfer_needs_editor')

    const res = await call(owner, `/api/collections/${id}/transfer`, { method: 'POST', json: { userId: editor.id } })
    expect(res.status).toBe(200)
    expect(await roles(id)).toEqual({ [owner.id]: 'editor', [editor.id]: 'owner', [viewer.id]: 'viewer' })
    const [row] = await ctx.db.sql`select owner_id from collections where id = ${id}`
    expect(row!.ownerId).toBe(editor.id)
    const rename = await call(owner, `/api/collections/${id}`, { method: 'PATCH', json: { name: 'Mine again' } })
    expect(rename.status).toBe(403)
    expect((await rename.json()).requiredRole).toBe('owner')
    expect((await (await call(editor, `/api/collections/${id}`)).json()).role).toBe('owner')
  })

  test('two transfers at once leave exactly one owner', async () => {
    const second = await makeUser(ctx.db.sql, ctx.config, 'second-editor')
    for (let round = 0; round < 5; round++) {
      const id = await makeCollection(ctx, owner, {
        members: [
          [editor, 'editor'],
          [second, 'editor'],
        ],
      })
      const [a, b] = await Promise.all([
        call(owner, `/api/collections/${id}/transfer`, { method: 'POST', json: { userId: editor.id } }),
        call(owner, `/api/collections/${id}/transfer`, { method: 'POST', json: { userId: second.id } }),
      ])
      expect([a.status, b.status].sort()).toEqual([200, 403])
      const owners = await ctx.db.sql<
        { userId: string }[]
      >`select user_id from collection_members where collection_id = ${id} and role = 'owner'`
      const [row] = await ctx.db.sql`select owner_id from collections where id = ${id}`
      expect(owners.length).toBe(1)
      expect(row!.ownerId).toBe(owners[0]!.userId)
      expect(owners[0]!.userId).toBe(a.status === 200 ? editor.id : second.id)
    }
  })
})
