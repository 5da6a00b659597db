// What the HTTP span wrapper costs one request, in process and without a
// network: the same handler (30 awaits, as a request's hooks and queries make)
// called 100,000 times through `traceRequests`, with tracing off or on with a
// sampler that keeps nothing. Run by tracingOverhead.ts, one process per case
// (the SDK is global to a process); prints µs per request as JSON.
//
//   bun run benchmarks/observability/wrapperCost.ts off|read|write
import { loadConfig } from '../../server/platform/config.ts'
import { traceRequests } from '../../server/platform/httpTracing.ts'
import { startTracing } from '../../server/platform/tracing.ts'

const mode = process.argv[2] ?? 'off'
if (mode !== 'off') {
  // Nothing is sampled, so nothing is ever exported to this closed port.
  const config = loadConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0',
  })
  startTracing(config, 'wrapper-cost')
}
const step = async (i: number) => {
  await null
  return i
}
const handle = traceRequests(async () => {
  let sum = 0
  for (let k = 0; k < 30; k++) sum += await step(k)
  return new Response(String(sum))
})
const method = mode === 'write' ? 'POST' : 'GET'
const requests = Array.from({ length: 1000 }, () => new Request('http://bench/api/collections', { method }))
const N = 100_000
const rounds: number[] = []
for (let r = 0; r < 5; r++) {
  const started = performance.now()
  for (let i = 0; i < N; i++) await handle(requests[i % requests.length]!)
  rounds.push(((performance.now() - started) * 1000) / N)
}
// The first round warms the JIT; the median of the rest.
const sorted = rounds.slice(1).sort((a, b) => a - b)
console.log(JSON.stringify({ mode, usPerRequest: (sorted[1]! + sorted[2]!) / 2 }))
process.exit(0)
