// Each reranker call is an OpenTelemetry client span, exported through the
// real OTLP exporter: the server, the document count, and on failure its
// reason; never the key.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { SpanKind } from '@opentelemetry/api'
import { startOtlpReceiver, type OtlpReceiver } from '../../testing/otlp/receiver'
import { underRootSpan } from '../../testing/otlp/underRootSpan'
import { startRerankEmulator, type RerankEmulator } from '../../testing/rerank/emulator'
import { loadConfig } from '../platform/config'
import { startTracing, type Tracing } from '../platform/tracing'
import { createRerankClient, RerankError } from './rerankClient'
import { rejectionOf } from '../../testing/rejectionOf'

let receiver: OtlpReceiver
let tracing: Tracing
let emulator: RerankEmulator

beforeAll(async () => {
  receiver = startOtlpReceiver()
  tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }), 'knowledgetree-test')!
  emulator = await startRerankEmulator({ apiKey: 'rk-span-key-0123456789' })
})
afterAll(async () => {
  await emulator.stop()
  await tracing.shutdown()
  await receiver.stop()
})

test('a rerank call is a client span with the server and document count; a failed one carries its reason', async () => {
  const client = createRerankClient({ baseUrl: emulator.url, api: 'tei', apiKey: 'rk-span-key-0123456789', timeoutMs: 5000 })
  const scores = await underRootSpan(() => client.score('red apple', ['green pear', 'red apple pie', 'apple']))
  expect([...scores.entries()].sort((a, b) => a[0] - b[0])).toEqual([
    [0, 0],
    [1, 1],
    [2, 0.5],
  ])
  emulator.setFailure({ mode: '500' })
  const error = await rejectionOf(
    underRootSpan(() => client.score('red apple', ['x', 'y'])),
    RerankError,
  )
  expect(error.reason).toBe('http_error')
  expect(error.message).not.toContain('rk-span-key')
  await tracing.forceFlush()
  const spans = (await receiver.waitFor((s) => s.filter((x) => x.name === 'rerank tei').length === 2)).filter(
    (x) => x.name === 'rerank tei',
  )
  const [ok, failed] = spans
    .sort((a, b) => Number(a.attributes['kt.rerank.documents']) - Number(b.attributes['kt.rerank.documents']))
    .reverse()
  for (const span of spans) {
    expect(span.kind).toBe(SpanKind.CLIENT + 1)
    expect(span.attributes['server.address']).toBe('127.0.0.1')
    expect(span.attributes['kt.rerank.api']).toBe('tei')
    expect(JSON.stringify([span.attributes, span.events])).not.toContain('rk-span-key')
  }
  expect(ok!.attributes).toMatchObject({ 'kt.rerank.documents': 3, 'http.response.status_code': 200 })
  expect(failed!.attributes).toMatchObject({ 'kt.rerank.documents': 2, 'http.response.status_code': 500, 'error.type': 'http_error' })
  expect(failed!.status).toBe(2)
})
