// What tracing costs one request, in process and without a network: the same
// handler (30 awaits, as a request's hooks and queries make, four of them in a
// child span shaped like a query span) called through `traceRequests`, with
// tracing off, on with a sampler that keeps nothing (a read, a write), or on
// with one that keeps everything (a read whose five spans are built, batched,
// serialised and posted by the real OTLP/HTTP exporter to a local endpoint
// that reads the body and answers 200). Run by tracingOverhead.ts, one process
// per case (the SDK is global to a process); prints CPU µs per request as JSON.
//
//   bun run benchmarks/observability/wrapperCost.ts off|read|write|sampled
import { SpanKind } from '@opentelemetry/api'
import { loadConfig } from '../../server/platform/config.ts'
import { traceRequests } from '../../server/platform/httpTracing.ts'
import { startTracing, withSpan, type Tracing } from '../../server/platform/tracing.ts'

const mode = process.argv[2] ?? 'off'
// Takes what the exporter posts and nothing more: the cost measured is the api's.
const sink = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request) {
    await request.arrayBuffer()
    return Response.json({ partialSuccess: {} })
  },
})
let tracing: Tracing | null = null
if (mode !== 'off') {
  const config = loadConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.port}`,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: mode === 'sampled' ? '1' : '0',
  })
  tracing = startTracing(config, 'wrapper-cost')
}
const step = async (i: number) => {
  await null
  return i
}
const QUERY = {
  kind: SpanKind.CLIENT,
  attributes: {
    'db.system.name': 'postgresql',
    'db.operation.name': 'SELECT',
    'db.collection.name': 'collections',
    'db.query.text': 'select c.id, c.name, c.description from collections c where c.user_id = $1 order by c.created_at desc',
  },
}
const handle = traceRequests(async () => {
  let sum = 0
  for (let k = 0; k < 26; k++) sum += await step(k)
  for (let k = 0; k < 4; k++)
    sum += await withSpan('SELECT collections', QUERY, async (span) => {
      const n = await step(k)
      span.setAttribute('db.response.returned_rows', n)
      return n
    })
  return new Response(String(sum))
})
const method = mode === 'write' ? 'POST' : 'GET'
const requests = Array.from({ length: 1000 }, () => new Request('http://bench/api/collections', { method }))
// Batches of 50 in flight, as a loaded api has. With every request sampled,
// spans are flushed every 200 requests (1,000 spans): the batch processor
// drops what does not fit its queue of 2,048, and a dropped span would cost
// less than an exported one. The figure is CPU time (this process's user +
// system), so the flushes' waits do not count, their work does.
const N = mode === 'sampled' ? 20_000 : 100_000
const cpuUs = () => {
  const { user, system } = process.cpuUsage()
  return user + system
}
const rounds: number[] = []
for (let r = 0; r < 5; r++) {
  const started = cpuUs()
  for (let i = 0; i < N; i += 50) {
    await Promise.all(requests.slice(i % 1000, (i % 1000) + 50).map((request) => handle(request)))
    if (mode === 'sampled' && (i + 50) % 200 === 0) await tracing?.forceFlush()
  }
  await tracing?.forceFlush()
  rounds.push((cpuUs() - started) / N)
}
// The first round warms the JIT; the median of the rest.
const sorted = rounds.slice(1).sort((a, b) => a - b)
console.log(JSON.stringify({ mode, usPerRequest: (sorted[1]! + sorted[2]!) / 2 }))
process.exit(0)
