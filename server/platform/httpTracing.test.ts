// The server span wrapper under ratio samplers: a read that starts a new trace
// is decided before any span is started, and that decision keeps the ratio; a
// caller's sampled trace is still continued; a dropped write still carries
// "not sampled" in its context (for the jobs it sends).
import { afterEach, expect, test } from 'bun:test'
import { context, trace } from '@opentelemetry/api'
import { startOtlpReceiver, type OtlpReceiver } from '../../testing/otlp/receiver.ts'
import { loadConfig } from './config.ts'
import { traceRequests } from './httpTracing.ts'
import { rootRatioOf, rootSamplingRatio, startTracing, type Tracing } from './tracing.ts'

let receiver: OtlpReceiver | null = null
let tracing: Tracing | null = null
afterEach(async () => {
  await tracing?.shutdown()
  await receiver?.stop()
  tracing = null
  receiver = null
})

function traced(ratio: string) {
  receiver = startOtlpReceiver()
  tracing = startTracing(
    loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: ratio,
    }),
    'knowledgetree-test',
  )!
  const seen: { recording: boolean | null }[] = []
  const handle = traceRequests(async () => {
    const span = trace.getSpan(context.active())
    seen.push({ recording: span ? span.isRecording() : null })
    return new Response('ok')
  })
  return { handle, seen }
}

test('reads that start new traces keep the ratio: about half of 400 are traced at 0.5', async () => {
  const { handle } = traced('0.5')
  for (let i = 0; i < 400; i++) await handle(new Request('http://kt.test/api/collections'))
  await tracing!.forceFlush()
  const servers = receiver!.spans.filter((s) => s.name === 'GET').length
  // Binomial(400, 0.5): 200 ± 10; these bounds are 6 standard deviations out.
  expect(servers).toBeGreaterThan(140)
  expect(servers).toBeLessThan(260)
})

test('at ratio 0 a new read starts nothing, a caller’s sampled trace is continued, a write keeps "not sampled" in context', async () => {
  const { handle, seen } = traced('0')
  expect(rootSamplingRatio()).toBe(0)
  for (let i = 0; i < 50; i++) await handle(new Request('http://kt.test/api/collections'))
  expect(seen.every((s) => s.recording === null)).toBe(true)
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
  await handle(new Request('http://kt.test/api/collections', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } }))
  expect(seen.at(-1)!.recording).toBe(true)
  await handle(new Request('http://kt.test/api/collections', { method: 'POST' }))
  expect(seen.at(-1)!.recording).toBe(false)
  await tracing!.forceFlush()
  expect(receiver!.spans.map((s) => s.traceId)).toEqual([traceId])
})

test('only ratio samplers are decided ahead; the others keep every new trace to the SDK', () => {
  expect(rootRatioOf({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.1 })).toBe(0.1)
  expect(rootRatioOf({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: undefined })).toBe(1)
  // Plain traceidratio decides children by the trace id too: a root kept by a coin flip could lose them.
  expect(rootRatioOf({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.25 })).toBe(1)
  expect(rootRatioOf({ OTEL_TRACES_SAMPLER: 'parentbased_always_off', OTEL_TRACES_SAMPLER_ARG: undefined })).toBe(0)
  expect(rootRatioOf({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: undefined })).toBe(1)
  expect(rootSamplingRatio()).toBe(1)
})
