// Each request to YouTube is an HTTP client span (OpenTelemetry HTTP semantic
// conventions), exported through the real OTLP exporter to the local receiver.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../../testing/otlp/receiver.ts'
import { expectCaptionsUnavailable, fake, fetchFrom, stopFakesAfterEach } from '../../../testing/youtube/fetchYoutubeHarness.ts'
import { FIXTURE_VIDEO_ID, html } from '../../../testing/youtube/startFakeYoutube.ts'
import { loadConfig } from '../../platform/config.ts'
import { startTracing, tracer, type Tracing } from '../../platform/tracing.ts'

stopFakesAfterEach()

let receiver: OtlpReceiver
let tracing: Tracing

beforeAll(() => {
  receiver = startOtlpReceiver()
  tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }), 'knowledgetree-test')!
})
afterAll(async () => {
  await tracing.shutdown()
  await receiver.stop()
})

/** Runs `fn` under a root span and returns that trace's spans below it, once exported. */
async function spansUnder(fn: () => Promise<unknown>): Promise<ReceivedSpan[]> {
  const traceId = await tracer.startActiveSpan('test root', async (root) => {
    try {
      await fn().catch(() => {})
      return root.spanContext().traceId
    } finally {
      root.end()
    }
  })
  await tracing.forceFlush()
  const spans = await receiver.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === 'test root'))
  return spans.filter((s) => s.traceId === traceId && s.name !== 'test root')
}

test('the watch page, player call and caption download are client spans with method, server, template and status', async () => {
  const server = fake()
  const port = Number(new URL(server.baseUrl).port)
  const spans = await spansUnder(() => fetchFrom(server))

  expect(spans.map((s) => s.name)).toEqual(['GET /watch', 'POST /youtubei/v1/player', 'GET /api/timedtext'])
  for (const span of spans) {
    expect(span.kind).toBe(SpanKind.CLIENT + 1) // OTLP numbers kinds from 1
    expect(span.status).toBe(SpanStatusCode.UNSET)
    expect(span.attributes).toMatchObject({
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.scheme': 'http',
      'http.response.status_code': 200,
    })
    expect(span.attributes['error.type']).toBeUndefined()
  }
  expect(spans[1]?.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.template': '/youtubei/v1/player' })
  // Keys, signatures and the video id travel in the query: none of it is exported.
  const exported = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]))
  expect(exported).not.toContain('key=')
  expect(exported).not.toContain(FIXTURE_VIDEO_ID)
})

test('a refusal from YouTube ends its span in error, with the status code as error.type', async () => {
  const server = fake({ watch: () => html('<!DOCTYPE html><title>Too Many Requests</title>', 429) })
  const spans = await spansUnder(() => expectCaptionsUnavailable(fetchFrom(server), 'http_429'))

  expect(spans).toHaveLength(1)
  expect(spans[0]?.name).toBe('GET /watch')
  expect(spans[0]?.status).toBe(SpanStatusCode.ERROR)
  expect(spans[0]?.attributes).toMatchObject({ 'http.response.status_code': 429, 'error.type': '429' })
})

test('an unreachable YouTube ends its span in error without a status code', async () => {
  const server = fake()
  server.stop()
  const spans = await spansUnder(() => expectCaptionsUnavailable(fetchFrom(server), 'network'))

  expect(spans.map((s) => s.name)).toEqual(['GET /watch'])
  expect(spans[0]?.status).toBe(SpanStatusCode.ERROR)
  expect(spans[0]?.attributes['http.response.status_code']).toBeUndefined()
  expect(typeof spans[0]?.attributes['error.type']).toBe('string')
})
