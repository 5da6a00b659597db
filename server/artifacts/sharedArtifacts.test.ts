// Video notes belong to the collection (every member reads them, editors
// change them); a document made from a conversation follows the conversation.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { caller, makeCast, makeCollection, type TestUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
let call: ReturnType<typeof caller>
let owner: TestUser, editor: TestUser, viewer: TestUser
let collectionId: string

beforeAll(async () => {
  ctx = await createTestApp()
  call = caller(ctx.app)
  ;({ owner, editor, viewer } = await makeCast(ctx.db.sql, ctx.config))
  collectionId = await makeCollection(ctx, owner, {
    members: [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ],
  })
})
afterAll(() => ctx.close())

async function artifact(userId: string, from: { videoId?: string; conversationId?: string }): Promise<string> {
  const [a] = await ctx.db.sql<{ id: string }[]>`
    insert into artifacts (user_id, collection_id, video_id, conversation_id, kind, title)
    values (${userId}, ${collectionId}, ${from.videoId ?? null}, ${from.conversationId ?? null}, 'notes', 'Notes') returning id`
  await ctx.db
    .sql`insert into artifact_versions (artifact_id, version, content, origin, status) values (${a!.id}, 1, 'First.', 'edited', 'complete')`
  return a!.id
}

test('every member reads the notes of a video; editors edit them, viewers may not', async () => {
  const [video] = await ctx.db.sql<
    { id: string }[]
  >`insert into videos (collection_id, added_by, source_type, title, status) values (${collectionId}, ${owner.id}, 'transcript', 'Talk', 'ready') returning id`
  const id = await artifact(owner.id, { videoId: video!.id })
  expect((await call(viewer, `/api/artifacts/${id}`)).status).toBe(200)
  expect((await (await call(viewer, `/api/artifacts?videoId=${video!.id}`)).json()).map((a: { id: string }) => a.id)).toEqual([id])
  const refused = await call(viewer, `/api/artifacts/${id}`, { method: 'PUT', json: { content: 'Viewer edit.' } })
  expect(refused.status).toBe(403)
  expect((await refused.json()).requiredRole).toBe('editor')
  const edited = await call(editor, `/api/artifacts/${id}`, { method: 'PUT', json: { content: 'Editor edit.' } })
  expect(edited.status).toBe(200)
  expect((await edited.json()).version).toBe(2)
})

test('a document made from a conversation is its author’s, and readable by the others once the conversation is shared', async () => {
  const conv = (await (await call(viewer, '/api/conversations', { method: 'POST', json: { collectionId } })).json()).id
  const id = await artifact(viewer.id, { conversationId: conv })
  expect((await call(owner, `/api/artifacts/${id}`)).status).toBe(404)
  expect((await (await call(owner, `/api/artifacts?collectionId=${collectionId}`)).json()).map((a: { id: string }) => a.id)).not.toContain(
    id,
  )
  expect((await call(viewer, `/api/artifacts/${id}`, { method: 'PUT', json: { content: 'Mine.' } })).status).toBe(200)

  await call(viewer, `/api/conversations/${conv}`, { method: 'PATCH', json: { shared: true } })
  expect((await call(owner, `/api/artifacts/${id}`)).status).toBe(200)
  const edit = await call(owner, `/api/artifacts/${id}`, { method: 'PUT', json: { content: 'Owner edit.' } })
  expect(edit.status).toBe(403)
  expect((await edit.json()).code).toBe('author_only')
})
