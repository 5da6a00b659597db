// A chunker change re-chunks older videos in the background: the video stays
// ready and searchable, and its passages are swapped whole.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { makeJobContext } from '../../testing/makeJobContext.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { CHUNKER_VERSION, chunkSegments } from '../../server/retrieval/chunkSegments.ts'
import { insertChunks } from '../../server/retrieval/sql.ts'
import { rechunk, scheduleRechunks } from './rechunk.ts'

let ctx: TestApp
let owner: TestUser
let collectionId: string
let videoId: string
// A sparse film: a short line every 20 seconds for ten minutes, ~150 words in all.
const lines = Array.from({ length: 30 }, (_, i) => (i === 27 ? 'The dragon finally returns to the cave.' : `Line ${i} of the quiet film.`))

beforeAll(async () => {
  ctx = await createTestApp()
  owner = await makeUser(ctx.db.sql, ctx.config)
  collectionId = (
    await (await ctx.app.handle(request('/api/collections', { method: 'POST', json: { name: 'Films' }, headers: owner.bearer }))).json()
  ).id
  videoId = await seedVideo(ctx, { collectionId, userId: owner.id, title: 'Film', segments: cues(lines, 20_000) })
  // As version 1 left it: the whole film one passage, starting at the first line.
  await ctx.db.sql.begin(async (tx) => {
    await tx`delete from chunks where video_id = ${videoId}`
    await insertChunks(tx, videoId, collectionId, 'english', chunkSegments(cues(lines, 20_000), { maxDurationMs: Infinity }))
    await tx`update videos set chunker_version = 1, chunk_count = 1 where id = ${videoId}`
  })
})
afterAll(() => ctx.close())

const jobCtx = () => makeJobContext({ sql: ctx.db.sql, logger: ctx.logger, config: ctx.config })
const passages = async () =>
  ctx.db.sql<{ startMs: number; endMs: number }[]>`select start_ms, end_ms from chunks where video_id = ${videoId} order by ordinal`
const search = async (q: string) =>
  (await (
    await ctx.app.handle(request(`/api/collections/${collectionId}/search?q=${encodeURIComponent(q)}`, { headers: owner.bearer }))
  ).json()) as { hits: { startMs: number }[] }

test('a video chunked by an older version is queued, re-chunked in one swap, and then left alone', async () => {
  expect(await passages()).toHaveLength(1)
  expect((await search('dragon cave')).hits[0]!.startMs).toBe(0)

  expect(await scheduleRechunks(ctx.db.sql, ctx.queue)).toBe(1)
  expect((await ctx.queue.boss.findJobs<{ videoId: string }>('rechunk')).map((j) => j.data.videoId)).toEqual([videoId])

  await rechunk({ videoId }, jobCtx())
  const after = await passages()
  expect(after.length).toBeGreaterThanOrEqual(5)
  for (const p of after) expect(p.endMs - p.startMs).toBeLessThanOrEqual(120_000)
  const [video] = await ctx.db.sql`select status, chunker_version, chunk_count from videos where id = ${videoId}`
  expect(video).toMatchObject({ status: 'ready', chunkerVersion: CHUNKER_VERSION, chunkCount: after.length })
  // Every new passage has its vector, and search now opens near the line that answers.
  const [row] = await ctx.db.sql<
    { n: number }[]
  >`select count(*)::int as n from chunk_embeddings e join chunks c on c.id = e.chunk_id where c.video_id = ${videoId}`
  expect(row!.n).toBe(after.length)
  expect((await search('dragon cave')).hits[0]!.startMs).toBeGreaterThan(7 * 60_000)

  // Done: a duplicate delivery changes nothing, and nothing more is queued.
  await rechunk({ videoId }, jobCtx())
  expect(await passages()).toEqual(after)
  expect(await scheduleRechunks(ctx.db.sql, ctx.queue)).toBe(0)
})

test('a video that is not ready is not re-chunked', async () => {
  await ctx.db.sql`update videos set chunker_version = 1, status = 'processing' where id = ${videoId}`
  const before = await passages()
  expect(await scheduleRechunks(ctx.db.sql, ctx.queue)).toBe(0)
  await rechunk({ videoId }, jobCtx())
  expect(await passages()).toEqual(before)
})
