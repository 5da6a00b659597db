// Changing the embedding model re-embeds collections in the background; search
// keeps using the old vectors until the new ones are complete.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { startOpenAiEmulator } from '../../testing/openai/emulator.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { loadConfig, type Config } from '../../server/platform/config.ts'
import { makeJobContext } from '../../testing/makeJobContext.ts'
import { reembed, scheduleReembeds } from './reembed.ts'

let ctx: TestApp
let openai: Awaited<ReturnType<typeof startOpenAiEmulator>>
let owner: TestUser
let collectionId: string
let newConfig: Config
const NEW_MODEL = 'openai:text-embedding-3-small@256'

beforeAll(async () => {
  openai = await startOpenAiEmulator({})
  ctx = await createTestApp()
  owner = await makeUser(ctx.db.sql, ctx.config)
  collectionId = (
    await (await ctx.app.handle(request('/api/collections', { method: 'POST', json: { name: 'Models' }, headers: owner.bearer }))).json()
  ).id
  const words = (i: number) =>
    `Passage ${i} talks about caching layers, eviction policies and disk storage in Python services number ${i}. `.repeat(25)
  await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Long talk',
    segments: cues(Array.from({ length: 12 }, (_, i) => words(i))),
  })
  newConfig = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: ctx.db.url,
    EMBEDDING_PROVIDER: 'openai',
    EMBEDDING_BASE_URL: openai.url,
    EMBEDDING_MODEL: 'text-embedding-3-small',
    EMBEDDING_DIMENSIONS: '256',
    EMBEDDING_API_KEY: 'k',
  })
})
afterAll(async () => {
  await ctx.close()
  await openai.stop()
})

const models = async () =>
  (
    await ctx.db
      .sql`select model, count(*)::int as n from chunk_embeddings where collection_id = ${collectionId} group by model order by model`
  ).map((r) => [r.model, r.n])
const activeModel = async () => (await ctx.db.sql`select embedding_model from collections where id = ${collectionId}`)[0]!.embeddingModel

test('a model change re-embeds in the background without interrupting search, then switches over', async () => {
  const chunks = (await ctx.db.sql`select count(*)::int as n from chunks where collection_id = ${collectionId}`)[0]!.n as number
  expect(chunks).toBeGreaterThan(3)
  expect(await activeModel()).toBe('local-hash-v1')

  const queued = await scheduleReembeds(ctx.db.sql, ctx.queue, newConfig)
  expect(queued).toBe(1)
  expect((await ctx.queue.boss.findJobs<{ model: string }>('reembed')).map((j) => j.data.model)).toEqual([NEW_MODEL])

  // The worker dies after its first page: the embeddings service answers garbage from then on.
  let calls = 0
  openai.setEmbeddingsOverride((body) => (++calls === 1 ? body : { object: 'list', data: [] }))
  const base = { sql: ctx.db.sql, logger: ctx.logger, queue: ctx.queue, config: newConfig }
  await expect(reembed({ collectionId, model: NEW_MODEL, pageSize: 2 }, makeJobContext(base))).rejects.toThrow()
  openai.setEmbeddingsOverride(null)
  const midway = await models()
  expect(midway).toContainEqual(['local-hash-v1', chunks])
  const newCount = midway.find(([m]) => m === NEW_MODEL)![1] as number
  expect(newCount).toBe(2)
  // Search still answers from the complete old vectors.
  expect(await activeModel()).toBe('local-hash-v1')
  const search = await (
    await ctx.app.handle(request(`/api/collections/${collectionId}/search?q=eviction%20policies`, { headers: owner.bearer }))
  ).json()
  expect(search.methods.vector).toBe(true)
  expect(search.hits.length).toBeGreaterThan(0)

  // The retry finishes the job and switches the collection over.
  await reembed({ collectionId, model: NEW_MODEL, pageSize: 2 }, makeJobContext(base))
  expect(await activeModel()).toBe(NEW_MODEL)
  expect(await models()).toEqual([[NEW_MODEL, chunks]])
  // Running it again is a no-op.
  await reembed({ collectionId, model: NEW_MODEL, pageSize: 2 }, makeJobContext(base))
  expect(await models()).toEqual([[NEW_MODEL, chunks]])
  expect(await scheduleReembeds(ctx.db.sql, ctx.queue, newConfig)).toBe(0)
})
