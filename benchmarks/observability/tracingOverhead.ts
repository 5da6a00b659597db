// What tracing costs: the same authenticated read (GET /api/collections) on
// three api processes — tracing off, on with sampler 1.0, on with 0.1 — each
// exporting to a local OTLP receiver, loaded in turn by autocannon, in
// alternating order over several rounds so drift of a shared machine hits all
// three alike. The figure is the ratio of throughput to tracing off.
//
//   bun run benchmarks/observability/tracingOverhead.ts [--seconds=5] [--rounds=3] [--no-results]
import { insertCollection } from '../../server/collections/sql.ts'
import { makeUser } from '../../testing/factories.ts'
import { startOtlpReceiver } from '../../testing/otlp/receiver.ts'
import { autocannon, type Load } from '../autocannon.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, startApi, type Child } from '../processes.ts'
import { fmt, markdownTable } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const SECONDS = arg('seconds', 5)
const ROUNDS = arg('rounds', 3)
const CONNECTIONS = 50

const started = performance.now()
const db = await createBenchDatabase()
const receiver = startOtlpReceiver()
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  for (let i = 0; i < 5; i++) await insertCollection(db.sql, user.id, `Collection ${i + 1}`, 'A collection for the tracing benchmark.')
  const variants: { name: string; env: Record<string, string> }[] = [
    { name: 'tracing off (no OTLP endpoint)', env: {} },
    { name: 'tracing on, sampler 1.0', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' } },
    { name: 'tracing on, sampler 0.1', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } },
  ]
  const apis: Child[] = []
  for (const v of variants) {
    const api = await startApi(db.url, v.env)
    children.push(api)
    apis.push(api)
  }
  const url = (i: number) => `${apis[i]!.url}/api/collections`
  for (let i = 0; i < apis.length; i++) await autocannon(url(i), CONNECTIONS, 2, user.bearer)
  const runs: Load[][] = variants.map(() => [])
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0]
    for (const i of order) {
      const load = await autocannon(url(i), CONNECTIONS, SECONDS, user.bearer)
      runs[i]!.push(load)
      console.log(`round ${round + 1}, ${variants[i]!.name}: ${fmt(load.rps, 0)} req/s, p99 ${load.p99} ms, ${load.errors + load.non2xx} errors`)
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const rps = runs.map((r) => mean(r.map((l) => l.rps)))
  const rows = variants.map((v, i) => [v.name, fmt(rps[i]!, 0), fmt(mean(runs[i]!.map((l) => l.p50)), 1), fmt(mean(runs[i]!.map((l) => l.p99)), 1), runs[i]!.reduce((n, l) => n + l.errors + l.non2xx, 0), `${fmt(rps[i]! / rps[0]!, 3)} (${fmt(100 * (1 - rps[i]! / rps[0]!), 1)} % loss)`])
  const table = markdownTable(['api', 'req/s', 'p50 ms', 'p99 ms', 'errors + non-2xx', 'throughput / tracing off'], rows)
  const md = `${table}\n\nGET /api/collections with a bearer token (JWT, session lookup, one query: a server span and 3–4 query spans per request), ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per api in alternating order, means shown; each api is its own process exporting to a local OTLP/HTTP receiver in the benchmark process (${receiver.spans.length} spans received). autocannon, the three apis, the receiver and Postgres share the same cores.`
  console.log(`\n${md}`)
  updateResults('tracing overhead', machine, md, { durationSeconds: (performance.now() - started) / 1000 })
} finally {
  for (const c of children) await c.stop()
  await receiver.stop()
  await db.drop()
}
