import { afterAll, beforeAll, expect, test } from 'bun:test'
import { loadConfig } from '../platform/config.ts'
import type { AppError } from '../platform/errors.ts'
import { captionsUnavailable, videoUnavailable, withUploadAdvice } from '../videos/youtube/youtubeErrors.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { capabilityRoutes } from './index.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(() => ctx.close())

test('an anonymous caller reads what a bare server can do: quotes, no audio, no proxy, no billing', async () => {
  const res = await ctx.app.handle(new Request('http://localhost/api/capabilities'))
  expect(res.status).toBe(200)
  const body = await res.json()
  expect(body).toMatchObject({ languageModel: false, transcription: false, youtubeProxy: false, billing: false, sharing: true })
  expect(body.uploads.audioExtensions).toEqual([])
  // The server's own list: every extension detectFormat takes, and nothing it refuses.
  expect(body.uploads.transcriptExtensions).toEqual(expect.arrayContaining(['.vtt', '.srt', '.sbv', '.xml', '.json', '.json3', '.txt']))
  expect(body.uploads.transcriptExtensions).not.toContain('.ttml')
  expect(body.uploads.transcriptMaxBytes).toBe(ctx.config.TRANSCRIPT_MAX_BYTES)
})

test('a fully configured server says so, without naming an address, key or variable', async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ANTHROPIC_API_KEY: 'sk-ant-secret-value',
    TRANSCRIPTION_BASE_URL: 'http://transcribe.internal:9000/v1',
    YOUTUBE_PROXY_URL: 'http://user:pass@proxy.internal:8080',
  })
  const app = capabilityRoutes({ config, billing: { enabled: true } })
  const res = await app.handle(new Request('http://localhost/api/capabilities'))
  const text = await res.text()
  expect(JSON.parse(text)).toMatchObject({ languageModel: true, transcription: true, youtubeProxy: true, billing: true })
  expect(JSON.parse(text).uploads.audioExtensions).toContain('.mp3')
  for (const secret of ['sk-ant', 'internal', 'pass', '_URL', '_KEY']) expect(text).not.toContain(secret)
})

test('YouTube refusals advise an audio file only when the server can transcribe one', () => {
  for (const refusal of [captionsUnavailable('bot_check'), videoUnavailable('private')]) {
    expect((withUploadAdvice(refusal, true) as AppError).message).toContain('or an audio file')
    const plain = withUploadAdvice(refusal, false) as AppError
    expect(plain.message).toContain('upload the subtitle file instead')
    expect(plain.message).not.toContain('audio')
    expect([plain.code, plain.status, plain.extras]).toEqual([refusal.code, refusal.status, refusal.extras])
  }
  const other = new Error('boom')
  expect(withUploadAdvice(other, false)).toBe(other)
})
