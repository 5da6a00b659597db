// The ingestion pipeline end to end on real Postgres through pg-boss: every
// source reaches `ready`; failures are explained; retries and duplicate
// deliveries never duplicate anything; deletes cascade.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { TRANSCRIPTS_DIR } from '../testing/datasets.ts'
import { join } from 'node:path'
import { makeUsers, type TestUser } from '../testing/factories.ts'
import { startOpenAiEmulator } from '../testing/openai/emulator.ts'
import { createTestApp, type TestApp } from '../testing/testApp.ts'
import { startTestWorker, waitForVideo } from '../testing/testWorker.ts'
import type { JobQueue } from '../server/platform/jobQueue.ts'
import { makeJobContext } from '../testing/makeJobContext.ts'
import { embed } from './queues/embed.ts'
import { fixture, startFakeYoutube, FIXTURE_VIDEO_ID, type FakeYoutube } from '../testing/youtube/startFakeYoutube.ts'

const DATASETS = TRANSCRIPTS_DIR

let ctx: TestApp
let worker: JobQueue
let youtube: FakeYoutube
let openai: Awaited<ReturnType<typeof startOpenAiEmulator>>
let owner: TestUser
let stranger: TestUser
let collectionId: string
let noCaptions = false

beforeAll(async () => {
  youtube = startFakeYoutube({
    player: (req, url) =>
      noCaptions
        ? new Response(fixture('player-no-captions.json'), { headers: { 'content-type': 'application/json' } })
        : fetchDefaultPlayer(req, url),
  })
  openai = await startOpenAiEmulator({})
  ctx = await createTestApp({ YOUTUBE_BASE_URL: youtube.baseUrl, TRANSCRIPTION_BASE_URL: openai.url, TRANSCRIPTION_API_KEY: 'test-key' })
  worker = await startTestWorker(ctx, {
    policies: {
      ingest: { retryLimit: 1, retryDelay: 1, retryBackoff: true, retryDelayMax: 1 },
      embed: { retryLimit: 1, retryDelay: 1, retryBackoff: true, retryDelayMax: 1 },
    },
  })
  ;({ owner, stranger } = await makeUsers(ctx.db.sql, ctx.config))
  collectionId = (await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'Pipeline' } })).json()).id
})
afterAll(async () => {
  await worker.stop({ timeoutMs: 2000 })
  await ctx.close()
  youtube.stop()
  await openai.stop()
})

// The fake's default player route, reached through a second fake that keeps its defaults.
let defaultFake: FakeYoutube | null = null
async function fetchDefaultPlayer(req: Request, url: URL): Promise<Response> {
  defaultFake ??= startFakeYoutube()
  const res = await fetch(`${defaultFake.baseUrl}${url.pathname}${url.search}`, {
    method: req.method,
    headers: req.headers,
    body: await req.text(),
  })
  // Caption URLs must point at the fake the product is talking to.
  return new Response((await res.text()).replaceAll(defaultFake.baseUrl, youtube.baseUrl), { status: res.status, headers: res.headers })
}

const call: TestApp['call'] = (...args) => ctx.call(...args)

async function uploadTranscript(name: string, language?: string) {
  const form = new FormData()
  form.set('file', new File([await Bun.file(join(DATASETS, name)).bytes()], name))
  if (language) form.set('language', language)
  const res = await call(owner, `/api/collections/${collectionId}/videos/transcripts`, { method: 'POST', body: form })
  expect(res.status).toBe(202)
  return (await res.json()) as { id: string }
}

const chunkSet = async (videoId: string) =>
  (
    await ctx.db
      .sql`select ordinal, text, start_ms, end_ms, segment_start, segment_end from chunks where video_id = ${videoId} order by ordinal`
  ).map((r) => JSON.stringify(r))

describe('pipeline', () => {
  test('a WebVTT upload goes queued -> processing -> ready with segments, chunks and vectors', async () => {
    const video = await uploadTranscript('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt', 'en')
    const done = await waitForVideo(ctx.db.sql, video.id)
    expect(done).toMatchObject({ status: 'ready', progress: 100, error: null })
    const v = await (await call(owner, `/api/videos/${video.id}`)).json()
    expect(v.segmentCount).toBe(1890)
    expect(v.chunkCount).toBeGreaterThan(40)
    expect(v.durationMs).toBeGreaterThan(70 * 60_000)
    const [counts] = await ctx.db.sql`select (select count(*) from chunks where video_id = ${video.id})::int as chunks,
      (select count(*) from chunk_embeddings e join chunks c on c.id = e.chunk_id where c.video_id = ${video.id})::int as vectors,
      (select ts_config::text from chunks where video_id = ${video.id} limit 1) as config`
    expect(counts!.vectors).toBe(counts!.chunks)
    expect(counts!.config).toBe('english')
    const transcript = await (await call(owner, `/api/videos/${video.id}/transcript?q=diskcache`)).json()
    expect(transcript.segments.length).toBeGreaterThan(5)
    expect(transcript.segments.every((s: { text: string }) => /diskcache/i.test(s.text))).toBe(true)
    expect(transcript.segments.some((s: { speaker: string }) => s.speaker === 'Vincent Warmerdam')).toBe(true)
  }, 60_000)

  test('an upload without a language gets the one its words are in; an editor can correct it, and full text follows', async () => {
    const video = await uploadTranscript(
      'bornhacksubs__import-4193-eng-Brug_GDPR_til_at_tvinge_firmaer_til_at_respektere_dit_privatliv_hd.mp4.srt',
    )
    expect(await waitForVideo(ctx.db.sql, video.id)).toMatchObject({ status: 'ready' })
    expect((await (await call(owner, `/api/videos/${video.id}`)).json()).language).toBe('da')
    const configs = async () =>
      (await ctx.db.sql`select distinct ts_config::text as c from chunks where video_id = ${video.id}`).map((r) => r.c)
    expect(await configs()).toEqual(['danish'])
    // Danish stemming: "rejserne" (the journeys) finds the passages that say "rejse" or "rejsen".
    const hits = async () =>
      (await (await call(owner, `/api/collections/${collectionId}/search?q=rejserne&k=50`)).json()).hits.filter(
        (h: { videoId: string; fullTextRank: number | null }) => h.videoId === video.id && h.fullTextRank !== null,
      ).length
    const stemmed = await hits()
    expect(stemmed).toBeGreaterThan(0)

    expect((await call(stranger, `/api/videos/${video.id}`, { method: 'PATCH', json: { language: 'en' } })).status).toBe(404)
    expect((await call(owner, `/api/videos/${video.id}`, { method: 'PATCH', json: { language: 'not a code' } })).status).toBe(422)
    const res = await call(owner, `/api/videos/${video.id}`, { method: 'PATCH', json: { language: null } })
    expect(res.status).toBe(200)
    expect((await res.json()).language).toBeNull()
    expect(await configs()).toEqual(['simple'])
    expect(await hits()).toBeLessThan(stemmed)
    expect((await (await call(owner, `/api/videos/${video.id}`, { method: 'PATCH', json: { language: 'da' } })).json()).language).toBe('da')
    expect(await configs()).toEqual(['danish'])
  }, 60_000)

  test('a crash mid-embed followed by retries yields exactly the same chunk set', async () => {
    const video = await uploadTranscript('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt', 'en')
    await waitForVideo(ctx.db.sql, video.id)
    const before = await chunkSet(video.id)
    expect(before.length).toBeGreaterThan(10)
    const jobCtx = { sql: ctx.db.sql, logger: ctx.logger, queue: worker, config: ctx.config }
    // A worker that dies after its first batch: nothing it did survives.
    const crash = new AbortController()
    const origEmbed = (await import('../server/retrieval/localEmbedder.ts')).localEmbedder.embed
    let batches = 0
    const { localEmbedder } = await import('../server/retrieval/localEmbedder.ts')
    localEmbedder.embed = async (texts) => {
      if (++batches === 1) crash.abort(new Error('worker died'))
      return origEmbed(texts)
    }
    try {
      await expect(embed({ videoId: video.id }, makeJobContext(jobCtx, { signal: crash.signal }))).rejects.toThrow()
    } finally {
      localEmbedder.embed = origEmbed
    }
    expect(await chunkSet(video.id)).toEqual(before)
    // The retry, and a duplicate delivery of it.
    await embed({ videoId: video.id }, makeJobContext(jobCtx))
    await embed({ videoId: video.id }, makeJobContext(jobCtx))
    expect(await chunkSet(video.id)).toEqual(before)
    const [n] = await ctx.db
      .sql`select count(*)::int as n from chunk_embeddings e join chunks c on c.id = e.chunk_id where c.video_id = ${video.id}`
    expect(n!.n).toBe(before.length)
  }, 60_000)

  test('a YouTube video gets its title and captions', async () => {
    const res = await call(owner, `/api/collections/${collectionId}/videos/youtube`, {
      method: 'POST',
      json: { url: `https://youtu.be/${FIXTURE_VIDEO_ID}`, language: 'en' },
    })
    expect(res.status).toBe(202)
    const video = await res.json()
    expect(await waitForVideo(ctx.db.sql, video.id)).toMatchObject({ status: 'ready' })
    const v = await (await call(owner, `/api/videos/${video.id}`)).json()
    expect(v.title).not.toContain('YouTube video')
    expect(v.captionKind).toBe('manual')
    expect(v.segmentCount).toBeGreaterThan(0)
  }, 30_000)

  test('a video without captions fails with an actionable reason; retry after captions appear succeeds without duplicates', async () => {
    noCaptions = true
    const other = (await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'Retry' } })).json()).id
    const res = await call(owner, `/api/collections/${other}/videos/youtube`, {
      method: 'POST',
      json: { url: `https://www.youtube.com/watch?v=${FIXTURE_VIDEO_ID}` },
    })
    const video = await res.json()
    const failed = await waitForVideo(ctx.db.sql, video.id)
    expect(failed.status).toBe('failed')
    expect(failed.error).toContain('upload the subtitle file or an audio file instead')
    noCaptions = false
    expect((await call(owner, `/api/videos/${video.id}/retry`, { method: 'POST' })).status).toBe(202)
    expect(await waitForVideo(ctx.db.sql, video.id)).toMatchObject({ status: 'ready' })
    expect((await call(owner, `/api/videos/${video.id}/retry`, { method: 'POST' })).status).toBe(409)
    const [dupes] = await ctx.db
      .sql`select count(*)::int - count(distinct ordinal)::int as d from transcript_segments where video_id = ${video.id}`
    expect(dupes!.d).toBe(0)
  }, 30_000)

  test('an audio file is transcribed through the configured endpoint', async () => {
    const path = `/tmp/kt-tone-${process.pid}.mp3`
    const ff = Bun.spawnSync(['ffmpeg', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', '-ac', '1', path])
    expect(ff.exitCode).toBe(0)
    const form = new FormData()
    form.set('file', new File([await Bun.file(path).bytes()], 'tone.mp3', { type: 'audio/mpeg' }))
    const res = await call(owner, `/api/collections/${collectionId}/videos/audio`, { method: 'POST', body: form })
    expect(res.status).toBe(202)
    const video = await res.json()
    expect(await waitForVideo(ctx.db.sql, video.id)).toMatchObject({ status: 'ready' })
    expect(openai.requests.some((r) => r.path.endsWith('/audio/transcriptions'))).toBe(true)
  }, 30_000)

  test('deleting a video removes its segments, chunks and vectors; another user cannot touch it', async () => {
    const video = await uploadTranscript('meyer1994-srt__sintel_en.srt')
    await waitForVideo(ctx.db.sql, video.id)
    expect((await call(stranger, `/api/videos/${video.id}`, { method: 'DELETE' })).status).toBe(404)
    const search = await call(stranger, `/api/search?q=dragon`)
    expect((await search.json()).hits).toHaveLength(0)
    expect((await call(owner, `/api/videos/${video.id}`, { method: 'DELETE' })).status).toBe(204)
    const [left] = await ctx.db.sql`select
      (select count(*) from transcript_segments where video_id = ${video.id})::int +
      (select count(*) from chunks where video_id = ${video.id})::int +
      (select count(*) from chunk_embeddings e where not exists (select 1 from chunks c where c.id = e.chunk_id))::int as n`
    expect(left!.n).toBe(0)
  }, 30_000)
})
