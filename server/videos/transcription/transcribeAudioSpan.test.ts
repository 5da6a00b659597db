// Each request to the transcription service is a client span with the model,
// the server and what came back, exported through the real OTLP exporter.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SpanKind } from '@opentelemetry/api'
import { startOpenAiEmulator } from '../../../testing/openai/emulator'
import { startOtlpReceiver, type OtlpReceiver } from '../../../testing/otlp/receiver'
import { underRootSpan } from '../../../testing/otlp/underRootSpan'
import { loadConfig } from '../../platform/config'
import { startTracing, type Tracing } from '../../platform/tracing'
import { transcribeAudio } from './transcribeAudio'

let receiver: OtlpReceiver
let tracing: Tracing
let emulator: Awaited<ReturnType<typeof startOpenAiEmulator>>
let dir = ''

beforeAll(async () => {
  receiver = startOtlpReceiver()
  tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }), 'knowledgetree-test')!
  emulator = await startOpenAiEmulator({ apiKeys: ['sk-test'], segmentSeconds: 1 })
  dir = await mkdtemp(join(tmpdir(), 'transcribe-span-'))
})
afterAll(async () => {
  await emulator.stop()
  await tracing.shutdown()
  await receiver.stop()
  await rm(dir, { recursive: true, force: true })
})

test('a transcription request is a client span with the model, the server and the audio it covered', async () => {
  const tone = join(dir, 'tone.mp3')
  const child = Bun.spawn([
    'ffmpeg',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=3',
    '-ac',
    '1',
    tone,
  ])
  expect(await child.exited).toBe(0)
  await underRootSpan(() =>
    transcribeAudio(
      { path: tone, filename: 'tone.mp3', contentType: 'audio/mpeg' },
      { baseUrl: emulator.url, apiKey: 'sk-test', model: 'whisper-1', maxRetries: 0 },
    ),
  )
  await tracing.forceFlush()
  const spans = await receiver.waitFor((s) => s.some((x) => x.name === 'transcription whisper-1'))
  const span = spans.find((x) => x.name === 'transcription whisper-1')!
  expect(span.kind).toBe(SpanKind.CLIENT + 1)
  expect(span.attributes).toMatchObject({
    'gen_ai.operation.name': 'transcription',
    'gen_ai.request.model': 'whisper-1',
    'server.address': '127.0.0.1',
  })
  expect(span.attributes['kt.transcription.segments']).toBeGreaterThan(0)
  expect(span.attributes['kt.transcription.audio_seconds']).toBeGreaterThan(2)
})
