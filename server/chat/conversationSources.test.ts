// A conversation's chosen sources: answers draw only on the ticked videos,
// the choice is stored with the conversation, only videos of its collection
// can be chosen, and a deleted video leaves the choice.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse } from '../../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let ctx: TestApp
let owner: TestUser
let collectionId: string
let bread: string
let garden: string
let elsewhere: string

const call = (path: string, init: RequestInit & { json?: unknown } = {}) => ctx.call(owner, path, init)
const json = async (path: string, init: RequestInit & { json?: unknown } = {}) => (await call(path, init)).json()
/** The video ids of the sources of a fresh answer to `question`. */
async function sourcesOf(conversationId: string, question: string): Promise<Set<string>> {
  const events = await readSse(await call(`/api/conversations/${conversationId}/messages`, { method: 'POST', json: { content: question } }))
  return new Set((events[0]!.data.sources as { videoId: string }[]).map((s) => s.videoId))
}

beforeAll(async () => {
  ctx = await createTestApp()
  owner = await makeUser(ctx.db.sql, ctx.config)
  collectionId = (await json('/api/collections', { method: 'POST', json: { name: 'Kitchen and garden' } })).id
  bread = await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Bread baking',
    segments: cues(['Sourdough dough rests twelve hours in the fridge.', 'Bake the bread with steam for twenty minutes.']),
  })
  garden = await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Gardening',
    segments: cues(['Tomatoes need six hours of sun.', 'Water the beds early in the morning before the heat.']),
  })
  const other = (await json('/api/collections', { method: 'POST', json: { name: 'Other' } })).id
  elsewhere = await seedVideo(ctx, {
    collectionId: other,
    userId: owner.id,
    title: 'Elsewhere',
    segments: cues(['Bread again, in another collection.']),
  })
})
afterAll(() => ctx.close())

test('answers draw only on the chosen videos, and the choice is stored with the conversation', async () => {
  const c = await json('/api/conversations', { method: 'POST', json: { collectionId, videoIds: [garden] } })
  expect(c.sourceVideoIds).toEqual([garden])
  expect(await sourcesOf(c.id, 'How long does the sourdough bread dough rest?')).toEqual(new Set([garden]))

  // Widened to the whole collection, the bread video answers the same question.
  expect((await json(`/api/conversations/${c.id}`, { method: 'PATCH', json: { videoIds: [] } })).sourceVideoIds).toEqual([])
  expect(await sourcesOf(c.id, 'How long does the sourdough bread dough rest?')).toContain(bread)
  expect((await json(`/api/conversations/${c.id}`)).sourceVideoIds).toEqual([])
})

test('only videos of the conversation’s collection can be chosen; a refused choice writes nothing', async () => {
  const before = (await json(`/api/conversations?collectionId=${collectionId}`)).items.length
  const res = await call('/api/conversations', { method: 'POST', json: { collectionId, videoIds: [garden, elsewhere] } })
  expect(res.status).toBe(400)
  expect((await res.json()).code).toBe('source_not_in_collection')
  expect((await json(`/api/conversations?collectionId=${collectionId}`)).items.length).toBe(before)

  const c = await json('/api/conversations', { method: 'POST', json: { collectionId, videoIds: [bread] } })
  expect((await call(`/api/conversations/${c.id}`, { method: 'PATCH', json: { videoIds: [elsewhere] } })).status).toBe(400)
  expect((await json(`/api/conversations/${c.id}`)).sourceVideoIds).toEqual([bread])
})

test('a deleted video leaves the conversations that had chosen it', async () => {
  const c = await json('/api/conversations', { method: 'POST', json: { collectionId, videoIds: [bread, garden] } })
  expect(new Set(c.sourceVideoIds)).toEqual(new Set([bread, garden]))
  expect((await call(`/api/videos/${garden}`, { method: 'DELETE' })).status).toBe(204)
  expect((await json(`/api/conversations/${c.id}`)).sourceVideoIds).toEqual([bread])
})
