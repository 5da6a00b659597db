import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI, { toFile } from 'openai'
import { startOpenAiEmulator } from './emulator'
import { rejectionOf } from '../rejectionOf'

const emulator = await startOpenAiEmulator({
  apiKeys: ['sk-emulator'],
  defaultDimensions: 32,
  maxInputsPerRequest: 4,
  maxFileBytes: 30_000,
})
const openai = new OpenAI({ baseURL: emulator.url, apiKey: 'sk-emulator', maxRetries: 0 })
let dir = ''
let tone = ''

beforeAll(async () => {
  if (!Bun.which('ffmpeg')) throw new Error('ffmpeg is required for the transcription tests: apt-get install -y ffmpeg')
  dir = await mkdtemp(join(tmpdir(), 'openai-emulator-test-'))
  tone = join(dir, 'tone.mp3')
  const child = Bun.spawn(['ffmpeg', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=2.5', '-ac', '1', tone])
  expect(await child.exited).toBe(0)
})
afterAll(async () => {
  await emulator.stop()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => emulator.reset())

const apiError = (promise: Promise<unknown>) => rejectionOf(promise, OpenAI.APIError)

describe('embeddings', () => {
  test("answers the SDK's default base64 request with the same vectors as a float request", async () => {
    const base64 = await openai.embeddings.create({ model: 'any-model', input: ['red apple', 'green pear'] })
    const floats = await openai.embeddings.create({ model: 'any-model', input: ['red apple', 'green pear'], encoding_format: 'float' })
    expect(emulator.requests.map((r) => r.embeddings?.encodingFormat)).toEqual(['base64', 'float'])
    for (const [i, item] of floats.data.entries()) {
      expect(item.embedding).toHaveLength(32)
      expect(Math.hypot(...item.embedding)).toBeCloseTo(1, 6)
      Array.from(base64.data[i]!.embedding).forEach((x, d) => expect(x).toBeCloseTo(item.embedding[d]!, 6))
    }
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0)
  })

  test('gives the same text the same vector wherever it appears', async () => {
    const a = await openai.embeddings.create({ model: 'm', input: ['x', 'shared text'], encoding_format: 'float' })
    const b = await openai.embeddings.create({ model: 'm', input: ['shared text'], encoding_format: 'float' })
    expect(a.data[1]!.embedding).toEqual(b.data[0]!.embedding)
  })

  test('honours dimensions, except for ada-002 which refuses them', async () => {
    const short = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hi', dimensions: 8, encoding_format: 'float' })
    expect(short.data[0]!.embedding).toHaveLength(8)
    const error = await apiError(openai.embeddings.create({ model: 'text-embedding-ada-002', input: 'hi', dimensions: 8 }))
    expect(error.status).toBe(400)
    expect(error.error).toEqual({
      message: 'This model does not support specifying dimensions.',
      type: 'invalid_request_error',
      param: null,
      code: null,
    })
  })

  test('rejects more inputs than the configured limit, naming the parameter', async () => {
    const error = await apiError(openai.embeddings.create({ model: 'm', input: ['a', 'b', 'c', 'd', 'e'] }))
    expect(error.status).toBe(400)
    expect(error.param).toBe('input')
  })

  test('records whether a key was sent but never the key', async () => {
    const stranger = new OpenAI({ baseURL: emulator.url, apiKey: 'sk-not-this-one', maxRetries: 0 })
    const error = await apiError(stranger.embeddings.create({ model: 'm', input: 'hi' }))
    expect(error.status).toBe(401)
    expect(error.code).toBe('invalid_api_key')
    expect(emulator.requests[0]!.hasAuthorization).toBe(true)
    expect(JSON.stringify(emulator.requests)).not.toContain('sk-not-this-one')
  })

  test('fails the first requests as scripted, with retry-after on 429s, then succeeds', async () => {
    emulator.setFailures({ status: 429, times: 2, retryAfterSeconds: 0.01, endpoint: 'embeddings' })
    const retrying = new OpenAI({ baseURL: emulator.url, apiKey: 'sk-emulator', maxRetries: 2 })
    const result = await retrying.embeddings.create({ model: 'm', input: 'hi' })
    expect(result.data).toHaveLength(1)
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 429, 200])
  })
})

describe('audio transcriptions', () => {
  test('answers verbose_json with segments covering the real duration of the audio', async () => {
    const result = await openai.audio.transcriptions.create({
      file: await toFile(Bun.file(tone), 'speech.mp3'),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['segment'],
    })
    expect(result.duration).toBeCloseTo(2.5, 1)
    expect(result.language).toBe('english')
    expect(result.segments!.map((s) => s.start)).toEqual([0])
    expect(result.segments![0]!.end).toBeCloseTo(2.5, 1)
    expect(emulator.requests[0]!.transcription).toMatchObject({
      model: 'whisper-1',
      responseFormat: 'verbose_json',
      timestampGranularities: ['segment'],
      file: { name: 'speech.mp3', size: Bun.file(tone).size },
    })
  })

  test('refuses an upload over the size limit with 413, as the API does', async () => {
    const big = new File([new Uint8Array(30_001)], 'big.mp3')
    const error = await apiError(openai.audio.transcriptions.create({ file: big, model: 'whisper-1' }))
    expect(error.status).toBe(413)
    expect(error.message).toContain('Maximum content size limit (30000) exceeded')
  })

  test('refuses file types the API does not accept, and audio it cannot decode', async () => {
    const mkv = await apiError(openai.audio.transcriptions.create({ file: await toFile(Bun.file(tone), 'speech.mkv'), model: 'whisper-1' }))
    expect(mkv.message).toContain('Invalid file format')
    const junk = await apiError(openai.audio.transcriptions.create({ file: new File(['not audio'], 'x.mp3'), model: 'whisper-1' }))
    expect(junk.status).toBe(400)
    expect(junk.param).toBe('file')
  })

  test('refuses verbose_json for the gpt-4o transcription models', async () => {
    const error = await apiError(
      openai.audio.transcriptions.create({
        file: await toFile(Bun.file(tone), 'a.mp3'),
        model: 'gpt-4o-transcribe',
        response_format: 'verbose_json',
      }),
    )
    expect(error.param).toBe('response_format')
  })

  test('requires a model', async () => {
    const form = new FormData()
    form.set('file', new File(['x'], 'a.mp3'))
    const response = await fetch(`${emulator.url}/audio/transcriptions`, {
      method: 'POST',
      body: form,
      headers: { authorization: 'Bearer sk-emulator' },
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: { message: "Missing required parameter: 'model'.", type: 'invalid_request_error', param: 'model', code: null },
    })
  })
})
