// Each embeddings request is a client span in the OpenTelemetry GenAI
// conventions, exported through the real OTLP exporter.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { SpanKind } from '@opentelemetry/api'
import { startOpenAiEmulator } from '../../testing/openai/emulator'
import { startOtlpReceiver, type OtlpReceiver } from '../../testing/otlp/receiver'
import { underRootSpan } from '../../testing/otlp/underRootSpan'
import { loadConfig } from '../platform/config'
import { startTracing, type Tracing } from '../platform/tracing'
import { createOpenAiEmbedder } from './openaiEmbedder'

let receiver: OtlpReceiver
let tracing: Tracing
let emulator: Awaited<ReturnType<typeof startOpenAiEmulator>>

beforeAll(async () => {
  receiver = startOtlpReceiver()
  tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }), 'knowledgetree-test')!
  emulator = await startOpenAiEmulator({ apiKeys: ['sk-test'], defaultDimensions: 16 })
})
afterAll(async () => {
  await emulator.stop()
  await tracing.shutdown()
  await receiver.stop()
})

test('an embeddings request is a GenAI client span with the model, the input token count and the server', async () => {
  const embedder = createOpenAiEmbedder({
    baseUrl: emulator.url,
    apiKey: 'sk-test',
    model: 'nomic-embed-text',
    modelDimensions: 16,
    batchSize: 2,
  })
  await underRootSpan(() => embedder.embed(['alpha beta', 'gamma', 'delta']))
  await tracing.forceFlush()
  const spans = await receiver.waitFor((s) => s.filter((x) => x.name === 'embeddings nomic-embed-text').length === 2)
  const calls = spans.filter((x) => x.name === 'embeddings nomic-embed-text')
  for (const span of calls) {
    expect(span.kind).toBe(SpanKind.CLIENT + 1)
    expect(span.attributes['gen_ai.operation.name']).toBe('embeddings')
    expect(span.attributes['gen_ai.request.model']).toBe('nomic-embed-text')
    expect(span.attributes['gen_ai.embeddings.dimension.count']).toBe(16)
    expect(span.attributes['server.address']).toBe('127.0.0.1')
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0)
  }
  expect(calls.map((s) => s.attributes['kt.embeddings.inputs']).sort()).toEqual([1, 2])
})
