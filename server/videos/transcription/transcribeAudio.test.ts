import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startOpenAiEmulator } from '../../../testing/openai/emulator'
import { rejectionOf } from '../../../testing/rejectionOf'
import { AppError } from '../../platform/errors'
import { transcribeAudio, type TranscribeOptions } from './transcribeAudio'

// Each MP3/AAC encode pads the audio by a few dozen milliseconds, so ends and
// durations are compared within this; segment starts are checked far tighter.
const PADDING_MS = 200

// These tests need real media; without ffmpeg they fail with this message rather than skip.
const FFMPEG_MISSING = 'ffmpeg and ffprobe are required for the transcription tests: apt-get install -y ffmpeg'

const emulator = await startOpenAiEmulator({ apiKeys: ['sk-test'], segmentSeconds: 1 })
let dir = ''
let tone = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transcribe-test-'))
  tone = join(dir, 'tone.mp3')
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', '-ac', '1', tone])
})
afterAll(async () => {
  await emulator.stop()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => emulator.reset())

async function ffmpeg(args: string[]): Promise<void> {
  if (!Bun.which('ffmpeg') || !Bun.which('ffprobe')) throw new Error(FFMPEG_MISSING)
  const child = Bun.spawn(['ffmpeg', '-nostdin', '-v', 'error', '-y', ...args], { stderr: 'pipe' })
  if ((await child.exited) !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${await new Response(child.stderr).text()}`)
}

function options(extra: Partial<TranscribeOptions> = {}): TranscribeOptions {
  return { baseUrl: emulator.url, apiKey: 'sk-test', model: 'whisper-1', maxRetries: 0, ...extra }
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, AppError)

function expectInOrder(segments: { startMs: number | null; endMs: number | null }[]): void {
  for (const [i, segment] of segments.entries()) {
    expect(segment.endMs!).toBeGreaterThanOrEqual(segment.startMs!)
    if (i > 0) expect(segment.startMs!).toBeGreaterThanOrEqual(segments[i - 1]!.startMs!)
  }
}

describe('transcribeAudio', () => {
  test('splits a file over the upload limit into parts and shifts each part’s segments by its start', async () => {
    const progress: number[] = []
    const result = await transcribeAudio(
      { path: tone, filename: 'tone.mp3', contentType: 'audio/mpeg' },
      options({ maxUploadBytes: 20_000, onProgress: (f) => progress.push(f) }),
    )

    const uploads = emulator.requests.map((r) => r.transcription!)
    expect(uploads.length).toBeGreaterThanOrEqual(3)
    for (const upload of uploads) {
      expect(upload.file!.size).toBeLessThanOrEqual(20_000)
      expect(upload.responseFormat).toBe('verbose_json')
      expect(upload.timestampGranularities).toEqual(['segment'])
    }
    // The emulator cuts each part into 1 s segments; part k starts where parts 0..k-1 end.
    let offsetMs = 0
    const expectedStarts: number[] = []
    for (const upload of uploads) {
      for (let s = 0; s < upload.durationSeconds!; s += 1) expectedStarts.push(offsetMs + s * 1000)
      offsetMs += upload.durationSeconds! * 1000
    }
    const starts = result.segments.map((s) => s.startMs!)
    expect(starts).toHaveLength(expectedStarts.length)
    starts.forEach((start, i) => expect(Math.abs(start - expectedStarts[i]!)).toBeLessThanOrEqual(40))
    expectInOrder(result.segments)
    expect(Math.abs(result.segments.at(-1)!.endMs! - 6000)).toBeLessThanOrEqual(PADDING_MS)
    expect(result.segments[0]!.text).toMatch(/^Emulated speech \w+ segment 0\.$/)
    expect(result.language).toBe('en')
    expect(Math.abs(result.durationMs! - 6000)).toBeLessThanOrEqual(PADDING_MS)

    expect(progress).toHaveLength(uploads.length)
    expect(progress.at(-1)).toBe(1)
    progress.slice(1).forEach((f, i) => expect(f).toBeGreaterThan(progress[i]!))
  })

  test('uploads a file within the limit as it is, in one request', async () => {
    const progress: number[] = []
    const result = await transcribeAudio(
      { path: tone, filename: 'My Talk.MP3', contentType: null },
      options({ onProgress: (f) => progress.push(f) }),
    )
    expect(emulator.requests).toHaveLength(1)
    expect(emulator.requests[0]!.transcription!.file).toMatchObject({ name: 'audio.mp3', size: Bun.file(tone).size })
    expect(result.segments.map((s) => s.startMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000].slice(0, result.segments.length))
    expect(progress).toEqual([1])
  })

  test('extracts the audio of a video in a container the API does not take', async () => {
    const video = join(dir, 'clip.mkv')
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x64:rate=5:duration=3',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=3',
      '-c:v',
      'mpeg4',
      '-c:a',
      'aac',
      '-shortest',
      video,
    ])
    const result = await transcribeAudio({ path: video, filename: 'clip.mkv', contentType: 'video/x-matroska' }, options())
    expect(emulator.requests).toHaveLength(1)
    expect(emulator.requests[0]!.transcription!.file!.name).toEndWith('.mp3')
    // AAC priming makes the track a little longer than 3 s.
    expect(result.segments.length).toBeGreaterThanOrEqual(3)
    expect(Math.abs(result.segments.at(-1)!.endMs! - 3000)).toBeLessThanOrEqual(PADDING_MS)
  })

  test('splits a part again when the server’s own size limit is lower than ours', async () => {
    const strict = await startOpenAiEmulator({ requireApiKey: false, maxFileBytes: 20_000, segmentSeconds: 1 })
    try {
      const result = await transcribeAudio(
        { path: tone, filename: 'tone.mp3', contentType: null },
        options({ baseUrl: strict.url, apiKey: null }),
      )
      const statuses = strict.requests.map((r) => r.status)
      expect(statuses[0]).toBe(413)
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3)
      expect(strict.requests.every((r) => !r.hasAuthorization)).toBe(true)
      expectInOrder(result.segments)
      expect(result.segments[0]!.startMs).toBe(0)
      expect(Math.abs(result.segments.at(-1)!.endMs! - 6000)).toBeLessThanOrEqual(PADDING_MS)
    } finally {
      await strict.stop()
    }
  })

  test('refuses a file that is not media as audio_unreadable, before any upload', async () => {
    const bogus = join(dir, 'notes.mp3')
    await Bun.write(bogus, 'this is not audio at all')
    const error = await failure(transcribeAudio({ path: bogus, filename: 'notes.mp3', contentType: 'audio/mpeg' }, options()))
    expect(error.code).toBe('audio_unreadable')
    expect(error.status).toBe(422)
    expect(String(error.extras.reason)).not.toContain(dir)
    expect(emulator.requests).toHaveLength(0)
  })

  test('refuses a video without sound as audio_missing', async () => {
    const silent = join(dir, 'silent.mp4')
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=1', '-c:v', 'mpeg4', silent])
    const error = await failure(transcribeAudio({ path: silent, filename: 'silent.mp4', contentType: 'video/mp4' }, options()))
    expect(error.code).toBe('audio_missing')
  })

  test('tells the operator to check the key when the server refuses it', async () => {
    const error = await failure(transcribeAudio({ path: tone, filename: 'tone.mp3', contentType: null }, options({ apiKey: 'sk-wrong' })))
    expect(error.code).toBe('transcription_auth_failed')
    expect(error.message).toContain('check the transcription API key')
    expect(error.extras.retryable).toBe(false)
  })

  test('retries a rate-limited upload, then succeeds', async () => {
    emulator.setFailures({ status: 429, times: 1, retryAfterSeconds: 0 })
    const result = await transcribeAudio({ path: tone, filename: 'tone.mp3', contentType: null }, options({ maxRetries: 1 }))
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 200])
    expect(result.segments.length).toBeGreaterThan(0)
  })

  test('marks an outage that outlasts the retries as retryable for the job', async () => {
    emulator.setFailures({ status: 429, times: 10, retryAfterSeconds: 0 })
    const error = await failure(transcribeAudio({ path: tone, filename: 'tone.mp3', contentType: null }, options({ maxRetries: 1 })))
    expect(error.code).toBe('transcription_unavailable')
    expect(error.extras.retryable).toBe(true)
    expect(emulator.requests).toHaveLength(2)
  })

  test('rejects an answer whose segments have no timing', async () => {
    emulator.setTranscriptionResponder(() => ({ text: 'hi', segments: [{ id: 0, start: 'soon', end: 1, text: 'hi' }] }))
    const error = await failure(transcribeAudio({ path: tone, filename: 'tone.mp3', contentType: null }, options()))
    expect(error.code).toBe('transcription_invalid_response')
    expect(error.message).toContain('segment 0 has no valid start and end')
  })

  test('stops between parts when the job is aborted', async () => {
    const controller = new AbortController()
    const promise = transcribeAudio(
      { path: tone, filename: 'tone.mp3', contentType: null },
      options({ maxUploadBytes: 20_000, signal: controller.signal, onProgress: () => controller.abort() }),
    )
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    )
    expect((error as Error).name).toBe('AbortError')
    expect(emulator.requests.filter((r) => r.status === 200)).toHaveLength(1)
  })
})
