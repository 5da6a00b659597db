// Adding videos: validation at the door, the queued job, retry, delete, and
// the live progress stream.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { TRANSCRIPTS_DIR } from '../../testing/datasets.ts'
import { join } from 'node:path'
import { makeUsers, type TestUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { setVideoStatus } from './sql.ts'

const DATASETS = TRANSCRIPTS_DIR
const TALK = 'talkpython__534-diskcache-your-secret-python-perf-weapon.vtt'

let ctx: TestApp
let owner: TestUser
let stranger: TestUser
let collectionId: string

beforeAll(async () => {
  ctx = await createTestApp({ TRANSCRIPT_MAX_BYTES: String(512 * 1024) })
  ;({ owner, stranger } = await makeUsers(ctx.db.sql, ctx.config))
  collectionId = (await (await call(owner, '/api/collections', { method: 'POST', json: { name: 'Videos' } })).json()).id
})
afterAll(() => ctx.close())

const call: TestApp['call'] = (...args) => ctx.call(...args)

function upload(
  user: TestUser,
  kind: 'transcripts' | 'audio',
  name: string,
  content: BlobPart,
  fields: Record<string, string> = {},
  type = '',
) {
  const form = new FormData()
  form.set('file', new File([content], name, { type }))
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  return call(user, `/api/collections/${collectionId}/videos/${kind}`, { method: 'POST', body: form })
}

const countVideos = async () =>
  Number((await ctx.db.sql`select count(*)::int as n from videos where collection_id = ${collectionId}`)[0]!.n)
const countJobs = async () => (await ctx.queue.boss.findJobs('ingest')).length

describe('adding a transcript file', () => {
  test('a real WebVTT file is accepted as queued, with its upload and ingest job stored together', async () => {
    const bytes = await Bun.file(join(DATASETS, TALK)).bytes()
    const res = await upload(owner, 'transcripts', TALK, bytes, { title: 'DiskCache episode', language: 'en' })
    expect(res.status).toBe(202)
    const video = await res.json()
    expect(video).toMatchObject({
      status: 'queued',
      sourceType: 'transcript',
      title: 'DiskCache episode',
      language: 'en',
      hasTimestamps: true,
    })
    expect(res.headers.get('location')).toBe(`/api/videos/${video.id}`)
    const [stored] = await ctx.db.sql`select length(content)::int as n, filename from video_uploads where video_id = ${video.id}`
    expect(stored).toEqual({ n: bytes.byteLength, filename: TALK })
    const jobs = await ctx.queue.boss.findJobs<{ videoId: string }>('ingest')
    expect(jobs.map((j) => j.data.videoId)).toContain(video.id)
  })

  test('plain text is accepted and flagged as having no timestamps', async () => {
    const res = await upload(owner, 'transcripts', 'notes.txt', 'First paragraph of a talk.\n\nSecond paragraph.', {}, 'text/plain')
    expect(res.status).toBe(202)
    expect((await res.json()).hasTimestamps).toBe(false)
  })

  test('a malformed file is a 422 with the line number, and nothing is written', async () => {
    const [videos, jobs] = [await countVideos(), await countJobs()]
    const bad = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n\n00:00:05.000 --> 00:00:03.000\nBackwards\n'
    const res = await upload(owner, 'transcripts', 'bad.vtt', bad)
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body.code).toBe('transcript_invalid')
    expect(body.line).toBe(6)
    expect(body.detail).toMatch(/^Line 6:/)
    expect([await countVideos(), await countJobs()]).toEqual([videos, jobs])
  })

  test.each([
    ['truncated timestamp', 'x.srt', '1\n00:00:0\nHello\n', 422],
    ['zero bytes', 'empty.vtt', '', 422],
    ['an empty transcript', 'blank.vtt', 'WEBVTT\n\n', 422],
    [
      'PNG bytes named .vtt',
      'image.vtt',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]),
      415,
    ],
    ['an unknown extension', 'talk.docx', 'hello', 415],
    ['a huge line', 'long.srt', `1\n00:00:01,000 --> 00:00:02,000\n${'a'.repeat(20_000)}\n`, 422],
  ])('%s is refused with %d', async (_name, filename, content, status) => {
    const before = await countVideos()
    const res = await upload(owner, 'transcripts', filename, content as BlobPart)
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await countVideos()).toBe(before)
  })

  test('a body over the transcript limit is a 413', async () => {
    const res = await upload(owner, 'transcripts', 'big.vtt', 'WEBVTT\n\n' + 'x'.repeat(700 * 1024))
    expect(res.status).toBe(413)
  })

  test('a JSON body where a file is expected is a 415', async () => {
    const res = await call(owner, `/api/collections/${collectionId}/videos/transcripts`, { method: 'POST', json: { file: 'x' } })
    expect(res.status).toBe(415)
  })

  test('a form without a file is a 400', async () => {
    const form = new FormData()
    form.set('title', 'no file')
    const res = await call(owner, `/api/collections/${collectionId}/videos/transcripts`, { method: 'POST', body: form })
    expect(res.status).toBe(400)
    expect((await res.json()).code).toBe('file_missing')
  })

  test('another user cannot add to the collection', async () => {
    const res = await upload(stranger, 'transcripts', 'x.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n')
    expect(res.status).toBe(404)
  })
})

describe('adding a YouTube video', () => {
  test('a watch URL is queued; the same video twice is a 409', async () => {
    const res = await call(owner, `/api/collections/${collectionId}/videos/youtube`, {
      method: 'POST',
      json: { url: 'https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=42', language: 'en' },
    })
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({
      sourceType: 'youtube',
      youtubeId: 'aqz-KE-bpKQ',
      status: 'queued',
      watchUrl: 'https://youtu.be/aqz-KE-bpKQ',
    })
    const again = await call(owner, `/api/collections/${collectionId}/videos/youtube`, {
      method: 'POST',
      json: { url: 'https://youtu.be/aqz-KE-bpKQ' },
    })
    expect(again.status).toBe(409)
  })

  test('a playlist URL is refused with a clear message', async () => {
    const res = await call(owner, `/api/collections/${collectionId}/videos/youtube`, {
      method: 'POST',
      json: { url: 'https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs' },
    })
    expect(res.status).toBe(422)
    expect((await res.json()).code).toBe('youtube_playlist_unsupported')
  })

  test('something that is not a YouTube URL is refused', async () => {
    const res = await call(owner, `/api/collections/${collectionId}/videos/youtube`, {
      method: 'POST',
      json: { url: 'https://vimeo.com/12345' },
    })
    expect(res.status).toBe(422)
    expect((await res.json()).code).toBe('youtube_url_invalid')
  })
})

describe('adding audio', () => {
  test('without a transcription endpoint the API says audio cannot be taken, without naming the configuration', async () => {
    const res = await upload(owner, 'audio', 'talk.mp3', new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]))
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body.code).toBe('transcription_not_configured')
    expect(body.detail).toContain('cannot transcribe')
    expect(body.detail).not.toContain('TRANSCRIPTION_')
  })
})

describe('retry and delete', () => {
  test('only a failed video can be retried; a retry queues a new ingest job', async () => {
    const video = await (await upload(owner, 'transcripts', 'r.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n')).json()
    expect((await call(owner, `/api/videos/${video.id}/retry`, { method: 'POST' })).status).toBe(409)
    await setVideoStatus(ctx.db.sql, video.id, { status: 'failed', error: 'Captions unavailable' })
    const failed = await (await call(owner, `/api/videos/${video.id}`)).json()
    expect(failed).toMatchObject({ status: 'failed', error: 'Captions unavailable' })
    const jobsBefore = (await ctx.queue.boss.findJobs<{ videoId: string }>('ingest')).filter((j) => j.data.videoId === video.id).length
    const res = await call(owner, `/api/videos/${video.id}/retry`, { method: 'POST' })
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({ status: 'queued', error: null, progress: 0 })
    const jobsAfter = (await ctx.queue.boss.findJobs<{ videoId: string }>('ingest')).filter((j) => j.data.videoId === video.id).length
    expect(jobsAfter).toBe(jobsBefore + 1)
  })

  test('another user can neither read, retry nor delete a video', async () => {
    const video = await (await upload(owner, 'transcripts', 'd.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n')).json()
    expect((await call(stranger, `/api/videos/${video.id}`)).status).toBe(404)
    expect((await call(stranger, `/api/videos/${video.id}/transcript`)).status).toBe(404)
    expect((await call(stranger, `/api/videos/${video.id}/retry`, { method: 'POST' })).status).toBe(404)
    expect((await call(stranger, `/api/videos/${video.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await call(owner, `/api/videos/${video.id}`)).status).toBe(200)
  })

  test('deleting a video removes its upload and transcript', async () => {
    const video = await (await upload(owner, 'transcripts', 'del.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n')).json()
    await ctx.db.sql`insert into transcript_segments (video_id, ordinal, start_ms, end_ms, text) values (${video.id}, 0, 1000, 2000, 'Hi')`
    expect((await call(owner, `/api/videos/${video.id}`, { method: 'DELETE' })).status).toBe(204)
    const [n] = await ctx.db
      .sql`select (select count(*) from video_uploads where video_id = ${video.id})::int + (select count(*) from transcript_segments where video_id = ${video.id})::int as n`
    expect(n!.n).toBe(0)
    expect((await call(owner, `/api/videos/${video.id}`)).status).toBe(404)
  })
})

describe('progress stream', () => {
  test('sends a snapshot, then each change as it happens', async () => {
    const video = await (await upload(owner, 'transcripts', 'p.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n')).json()
    const controller = new AbortController()
    const res = await call(owner, `/api/collections/${collectionId}/events`, { signal: controller.signal })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error('stream ended')
        text += decoder.decode(value)
      }
    }
    await readUntil('event: snapshot')
    await readUntil('\n\n')
    await setVideoStatus(ctx.db.sql, video.id, { status: 'processing', progress: 42 })
    await readUntil('"progress":42')
    expect(text).toContain('event: video')
    controller.abort()
  })

  test('another user cannot watch the stream', async () => {
    expect((await call(stranger, `/api/collections/${collectionId}/events`)).status).toBe(404)
  })
})
