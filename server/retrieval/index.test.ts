import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { insertCollection } from '../collections/sql.ts'
import { insertVideo } from '../videos/sql.ts'
import { ensureEmbeddingIndex } from './embeddingIndex.ts'
import { localEmbedder } from './localEmbedder.ts'
import { insertChunkEmbeddings, insertChunks } from './sql.ts'

let t: TestApp
let owner: TestUser
let stranger: TestUser
let ownersCollection: string
let strangersCollection: string

/** A collection holding one ready video with one embedded passage. */
async function collectionWith(user: TestUser, text: string): Promise<string> {
  const sql = t.db.sql
  const collectionId = await insertCollection(sql, user.id, `${user.email}'s`, '')
  const video = await insertVideo(sql, {
    collectionId,
    addedBy: user.id,
    sourceType: 'youtube',
    youtubeId: 'abcdefghijk',
    title: 'Budget meeting',
    language: 'en',
  })
  const [chunkId] = await insertChunks(sql, video.id, collectionId, 'english', [
    { ordinal: 0, text, startMs: 90_000, endMs: 120_000, speakers: ['Ann'], segmentStart: 0, segmentEnd: 3, wordCount: 8 },
  ])
  const [embedding] = await localEmbedder.embed([text])
  await insertChunkEmbeddings(sql, [{ chunkId: chunkId!, model: localEmbedder.name, collectionId, embedding: embedding! }])
  await sql`update collections set embedding_model = ${localEmbedder.name} where id = ${collectionId}`
  return collectionId
}

beforeAll(async () => {
  t = await createTestApp({ SEARCH_TOP_K: '4' })
  await ensureEmbeddingIndex(t.db.sql, localEmbedder.name, localEmbedder.dimensions)
  owner = await makeUser(t.db.sql, t.config, 'owner')
  stranger = await makeUser(t.db.sql, t.config, 'stranger')
  ownersCollection = await collectionWith(owner, 'The marketing budget for next quarter is forty thousand euros')
  strangersCollection = await collectionWith(stranger, 'Our budget for the offsite is small this quarter')
})
afterAll(() => t.close())

const get = (path: string, user?: TestUser) => t.app.handle(request(path, { headers: user?.bearer }))

test('a member searches a collection and gets passages with their moments', async () => {
  const res = await get(`/api/collections/${ownersCollection}/search?q=${encodeURIComponent('how much is the marketing budget?')}`, owner)
  expect(res.status).toBe(200)
  const body = await res.json()
  expect(body.query).toBe('how much is the marketing budget?')
  expect(body.methods).toEqual({ vector: true, fullText: true })
  expect(body.hits).toHaveLength(1)
  expect(body.hits[0]).toMatchObject({
    collectionId: ownersCollection,
    videoTitle: 'Budget meeting',
    startSeconds: 90,
    endSeconds: 120,
    deepLink: 'https://youtu.be/abcdefghijk?t=90',
    speakers: ['Ann'],
  })
  expect(body.hits[0].snippetHtml).toContain('<mark>marketing</mark> <mark>budget</mark>')
})

test('someone else’s collection is not found, in either route', async () => {
  expect((await get(`/api/collections/${strangersCollection}/search?q=budget`, owner)).status).toBe(404)
  expect((await get(`/api/search?q=budget&collectionId=${strangersCollection}`, owner)).status).toBe(404)
  expect((await get(`/api/collections/00000000-0000-4000-8000-000000000000/search?q=budget`, owner)).status).toBe(404)
})

test('searching everything returns only the caller’s own collections', async () => {
  for (const [user, mine] of [
    [owner, ownersCollection],
    [stranger, strangersCollection],
  ] as const) {
    const body = await (await get('/api/search?q=budget%20quarter', user)).json()
    expect(body.hits.length).toBeGreaterThan(0)
    expect(body.hits.every((h: { collectionId: string }) => h.collectionId === mine)).toBe(true)
  }
})

test('a stranger without collections finds nothing, an anonymous caller is refused', async () => {
  const loner = await makeUser(t.db.sql, t.config, 'loner')
  expect(await (await get('/api/search?q=budget', loner)).json()).toEqual({
    query: 'budget',
    hits: [],
    methods: { vector: false, fullText: false },
  })
  expect((await get('/api/search?q=budget')).status).toBe(401)
})

test('the question and k are validated', async () => {
  const base = `/api/collections/${ownersCollection}/search`
  expect((await get(`${base}?q=`, owner)).status).toBe(422)
  expect((await get(`${base}?q=${'a'.repeat(1001)}`, owner)).status).toBe(422)
  expect((await get(`${base}?q=budget&k=0`, owner)).status).toBe(422)
  expect((await get(`${base}?q=budget&k=51`, owner)).status).toBe(422)
  expect((await get(`${base}?q=budget&k=2.5`, owner)).status).toBe(422)
  expect((await get(`${base}?q=budget&k=50`, owner)).status).toBe(200)
  expect((await get(`/api/search?q=budget&collectionId=nope`, owner)).status).toBe(422)
})
