// Traces end to end, through the real OTLP/HTTP exporter into a local
// receiver: an upload is one trace from the request through the ingest job to
// the embed job; a question is one trace with retrieval and a GenAI span; a
// caller's traceparent is continued; queries have their own spans and logs
// carry the ids.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { SpanKind } from '@opentelemetry/api'
import { startAnthropicEmulator } from '../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../testing/factories.ts'
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../testing/otlp/receiver.ts'
import { readSse } from '../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../testing/testApp.ts'
import { startTestWorker, waitForVideo } from '../testing/testWorker.ts'
import type { JobQueue } from './platform/jobQueue.ts'
import { loadConfig } from './platform/config.ts'
import { createLogger } from './platform/logger.ts'
import { startTracing, type Tracing } from './platform/tracing.ts'
import { startServer, type RunningServer } from './server.ts'

let receiver: OtlpReceiver
let tracing: Tracing
let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let api: RunningServer
let worker: JobQueue
let user: TestUser
let collectionId: string
const apiLogs: string[] = []

beforeAll(async () => {
  receiver = startOtlpReceiver()
  // Installed first: pools and servers made from here on are traced.
  tracing = startTracing(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test' }),
    'knowledgetree-test',
  )!
  emulator = await startAnthropicEmulator()
  ctx = await createTestApp()
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: ctx.db.url,
    PORT: '0',
    LOG_LEVEL: 'info',
    JWT_SECRET: ctx.config.JWT_SECRET!,
    PUBLIC_URL: ctx.config.PUBLIC_URL,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: emulator.url,
  })
  api = await startServer(
    config,
    createLogger('info', { service: 'api' }, (line) => apiLogs.push(line)),
    { web: null },
  )
  worker = await startTestWorker(ctx)
  user = await makeUser(ctx.db.sql, ctx.config)
  collectionId = (await (await call('/api/collections', { method: 'POST', json: { name: 'Traced' } })).json()).id
})
afterAll(async () => {
  await worker.stop({ timeoutMs: 2000 })
  await api.stop()
  await ctx.close()
  await emulator.stop()
  await tracing.shutdown()
  await receiver.stop()
})

function call(path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers)
  for (const [k, v] of Object.entries(user.bearer)) headers.set(k, v)
  if (init.json !== undefined) headers.set('content-type', 'application/json')
  return fetch(`${api.url}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body })
}

/** Flushes the exporter, then waits until the receiver holds a span matching `find`. */
async function spanWhere(find: (s: ReceivedSpan) => boolean): Promise<ReceivedSpan> {
  await tracing.forceFlush()
  await receiver.waitFor((spans) => spans.some(find))
  return receiver.spans.find(find)!
}

const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId)

test('an upload is one trace: the request, the ingest job in the worker and the embed job it sends', async () => {
  const form = new FormData()
  form.set(
    'file',
    new File(['WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nCaching keeps hot data close to the code that reads it.\n'], 'talk.vtt'),
  )
  const res = await call(`/api/collections/${collectionId}/videos/transcripts`, { method: 'POST', body: form })
  expect(res.status).toBe(202)
  const { id } = (await res.json()) as { id: string }
  expect((await waitForVideo(ctx.db.sql, id)).status).toBe('ready')

  const request = await spanWhere((s) => s.name === 'POST /api/collections/:id/videos/transcripts')
  expect(request.kind).toBe(SpanKind.SERVER + 1) // OTLP numbers kinds from 1 (SERVER = 2)
  expect(request.attributes['http.response.status_code']).toBe(202)
  expect(request.attributes['kt.request.id']).toBe(res.headers.get('x-request-id'))
  expect(request.resource['service.name']).toBe('knowledgetree-test')
  expect(request.resource['deployment.environment.name']).toBe('test')

  const embedJob = await spanWhere((s) => s.name === 'process embed' && s.traceId === request.traceId)
  const trace = inTrace(request.traceId)
  const byId = new Map(trace.map((s) => [s.spanId, s]))
  const ancestry = (s: ReceivedSpan): string[] =>
    s.parentSpanId && byId.has(s.parentSpanId) ? [...ancestry(byId.get(s.parentSpanId)!), s.name] : [s.name]
  expect(ancestry(embedJob)).toEqual([
    'POST /api/collections/:id/videos/transcripts',
    'send ingest',
    'process ingest',
    'send embed',
    'process embed',
  ])
  expect(embedJob.attributes['messaging.destination.name']).toBe('embed')
})

test('a question is one trace with retrieval spans and a GenAI span carrying the model and token counts', async () => {
  const [conv] = await ctx.db.sql`insert into conversations (collection_id, user_id) values (${collectionId}, ${user.id}) returning id`
  const res = await call(`/api/conversations/${conv!.id}/messages`, { method: 'POST', json: { content: 'What does caching keep close?' } })
  expect(res.status).toBe(200)
  const events = await readSse(res)
  const done = events.at(-1)!
  expect(done.event).toBe('done')

  const model = await spanWhere((s) => s.name.startsWith('chat ') && s.attributes['gen_ai.usage.output_tokens'] !== undefined)
  expect(model.kind).toBe(SpanKind.CLIENT + 1)
  expect(model.attributes['gen_ai.request.model']).toBe('claude-sonnet-5-5')
  expect(model.attributes['gen_ai.provider.name']).toBe('anthropic')
  expect(model.attributes['gen_ai.usage.input_tokens']).toBe(done.data.usage.inputTokens)
  expect(model.attributes['gen_ai.usage.output_tokens']).toBe(done.data.usage.outputTokens)
  expect(model.events.map((e) => e.name)).toContain('gen_ai.first_token')
  // The SDK's own span for the API call sits below ours (which spans our retries).
  expect(inTrace(model.traceId).find((s) => s.name === 'anthropic.messages.create')?.parentSpanId).toBe(model.spanId)

  // The generation's span ends after the last event is sent.
  const generation = await spanWhere((s) => s.name === 'generate answer' && s.traceId === model.traceId)
  expect(generation.attributes['kt.generation.status']).toBe('complete')
  const names = inTrace(model.traceId).map((s) => s.name)
  expect(names).toContain('POST /api/conversations/:id/messages')
  for (const n of ['retrieval.hybrid_search', 'retrieval.vector', 'retrieval.full_text', 'retrieval.fusion', 'generate answer'])
    expect(names).toContain(n)
  const fullText = inTrace(model.traceId).find((s) => s.name === 'retrieval.full_text')!
  expect(fullText.attributes['kt.retrieval.candidates']).toBeGreaterThan(0)
})

test("a caller's traceparent is continued, and the request's queries are spans with placeholders, not values", async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
  const res = await call(`/api/collections/${collectionId}`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })
  expect(res.status).toBe(200)
  const request = await spanWhere((s) => s.traceId === traceId && s.name === 'GET /api/collections/:id')
  expect(request.parentSpanId).toBe('00f067aa0ba902b7')
  await spanWhere((s) => s.traceId === traceId && s.attributes['db.system.name'] === 'postgresql')
  const queries = inTrace(traceId).filter((s) => s.attributes['db.system.name'] === 'postgresql')
  expect(queries.every((q) => q.parentSpanId !== null)).toBe(true)
  const texts = queries.map((q) => String(q.attributes['db.query.text']))
  expect(texts.some((t) => t.includes('$1'))).toBe(true)
  expect(texts.join('\n')).not.toContain(collectionId)
  expect(
    queries.some(
      (q) => typeof q.attributes['db.response.returned_rows'] === 'number' && (q.attributes['db.response.returned_rows'] as number) > 0,
    ),
  ).toBe(true)

  // The request log line names the same trace.
  const line = apiLogs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request' && l.traceId === traceId)
  expect(line?.spanId).toBe(request.spanId)
})

test("a caller's not-sampled traceparent is honoured through the queue: nothing of that trace is exported, and the jobs carry the flag", async () => {
  const traceId = '5cf92f3577b34da6a3ce929d0e0e4737'
  const form = new FormData()
  form.set('file', new File(['WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nSampling keeps tracing cheap.\n'], 'unsampled.vtt'))
  const res = await call(`/api/collections/${collectionId}/videos/transcripts`, {
    method: 'POST',
    body: form,
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-00` },
  })
  expect(res.status).toBe(202)
  const { id } = (await res.json()) as { id: string }
  expect((await waitForVideo(ctx.db.sql, id)).status).toBe('ready')
  // The jobs went through with the caller's trace id and "not sampled".
  const jobs = await ctx.db.sql<{ name: string; traceparent: string }[]>`
    select name, data->>'traceparent' as traceparent from pgboss.job where data->>'traceparent' like ${`00-${traceId}-%`}`
  expect(jobs.map((j) => j.name).sort()).toEqual(['embed', 'ingest'])
  for (const j of jobs) expect(j.traceparent.endsWith('-00')).toBe(true)
  // A sampled request made afterwards is exported, so the exporter has flushed past the unsampled one.
  const after = await call(`/api/collections/${collectionId}`)
  await spanWhere((s) => s.name === 'GET /api/collections/:id' && s.attributes['kt.request.id'] === after.headers.get('x-request-id'))
  expect(inTrace(traceId)).toEqual([])
})

test('a read the sampler drops builds no spans below it, not even traces of their own', async () => {
  const traceId = '6d0a3f4577b34da6a3ce929d0e0e4738'
  const res = await call(`/api/collections/${collectionId}/search?q=${encodeURIComponent('sampling keeps tracing cheap')}`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-00` },
  })
  expect(res.status).toBe(200)
  // A sampled request made afterwards is exported, so the exporter has flushed past the unsampled one.
  const after = await call(`/api/collections/${collectionId}`)
  await spanWhere((s) => s.name === 'GET /api/collections/:id' && s.attributes['kt.request.id'] === after.headers.get('x-request-id'))
  expect(inTrace(traceId)).toEqual([])
  // The search's retrieval spans would be roots (no parent) if they were built outside the request's trace.
  const roots = receiver.spans.filter((s) => s.parentSpanId === null && s.name.startsWith('retrieval.'))
  expect(roots).toEqual([])
})
