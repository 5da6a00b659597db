// What tracing costs: the same authenticated read (GET /api/collections) on
// three api processes — tracing off, on with sampler 1.0, on with 0.1 — each
// exporting to a local OTLP receiver, loaded in turn by autocannon, in
// alternating order over several rounds so drift of a shared machine hits all
// three alike. Two figures per api, both relative to tracing off: throughput,
// and CPU time the api process spent per request (from /proc). On a busy
// machine throughput swings with what else runs; CPU per request is the
// steadier measure of what tracing adds.
//
//   bun run benchmarks/observability/tracingOverhead.ts [--seconds=5] [--rounds=3] [--cpu-prof=DIR] [--no-results]
//
// --cpu-prof=DIR: each api writes a Bun CPU profile (markdown) into DIR/<variant>/ on exit.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { insertCollection } from '../../server/collections/sql.ts'
import { makeUser } from '../../testing/factories.ts'
import { startOtlpReceiver } from '../../testing/otlp/receiver.ts'
import { autocannon, type Load } from '../autocannon.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, startApi, type Child } from '../processes.ts'
import { fmt, markdownTable } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const SECONDS = Number(option('seconds') ?? 5)
const ROUNDS = Number(option('rounds') ?? 3)
const PROFILE_DIR = option('cpu-prof')
const CONNECTIONS = 50

/** User + system CPU time of a process so far, in ms (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const started = performance.now()
const loadAtStart = loadavg()[0]!
const db = await createBenchDatabase()
const receiver = startOtlpReceiver()
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  for (let i = 0; i < 5; i++) await insertCollection(db.sql, user.id, `Collection ${i + 1}`, 'A collection for the tracing benchmark.')
  const traced = (ratio: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
  })
  const variants = [
    { name: 'tracing off (no OTLP endpoint)', slug: 'off', env: {} },
    { name: 'tracing on, sampler 1.0', slug: 'sampler-1.0', env: traced('1') },
    { name: 'tracing on, sampler 0.1', slug: 'sampler-0.1', env: traced('0.1') },
  ]
  const apis: Child[] = []
  for (const v of variants) {
    const flags = PROFILE_DIR ? ['--cpu-prof-md', `--cpu-prof-dir=${join(resolve(PROFILE_DIR), v.slug)}`] : []
    const api = await startApi(db.url, v.env, flags)
    children.push(api)
    apis.push(api)
  }
  const url = (i: number) => `${apis[i]!.url}/api/collections`
  for (let i = 0; i < apis.length; i++) await autocannon(url(i), CONNECTIONS, 2, user.bearer)
  const runs: { load: Load; cpuMs: number }[][] = variants.map(() => [])
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0]
    for (const i of order) {
      const before = cpuMs(apis[i]!.pid)
      const load = await autocannon(url(i), CONNECTIONS, SECONDS, user.bearer)
      const cpu = cpuMs(apis[i]!.pid) - before
      runs[i]!.push({ load, cpuMs: cpu })
      console.log(
        `round ${round + 1}, ${variants[i]!.name}: ${fmt(load.rps, 0)} req/s, ${fmt(cpu / load.requests, 3)} CPU ms/request, p99 ${load.p99} ms, ${load.errors + load.non2xx} errors`,
      )
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const rps = runs.map((r) => mean(r.map((x) => x.load.rps)))
  // Total CPU over total requests: rounds weigh by how much they served.
  const cpuPerRequest = runs.map((r) => r.reduce((n, x) => n + x.cpuMs, 0) / r.reduce((n, x) => n + x.load.requests, 0))
  const rows = variants.map((v, i) => [
    v.name,
    fmt(rps[i]!, 0),
    fmt(mean(runs[i]!.map((x) => x.load.p50)), 1),
    fmt(mean(runs[i]!.map((x) => x.load.p99)), 1),
    runs[i]!.reduce((n, x) => n + x.load.errors + x.load.non2xx, 0),
    `${fmt(rps[i]! / rps[0]!, 3)} (${fmt(100 * (1 - rps[i]! / rps[0]!), 1)} % loss)`,
    fmt(cpuPerRequest[i]!, 3),
    `${fmt(cpuPerRequest[i]! / cpuPerRequest[0]!, 3)} (${fmt(100 * (cpuPerRequest[i]! / cpuPerRequest[0]! - 1), 1)} % more)`,
  ])
  const table = markdownTable(
    ['api', 'req/s', 'p50 ms', 'p99 ms', 'errors + non-2xx', 'throughput / tracing off', 'api CPU ms / request', 'CPU / tracing off'],
    rows,
  )
  const loadAtEnd = loadavg()[0]!
  const md = [
    table,
    '',
    `GET /api/collections with a bearer token (JWT, session lookup, one query: a server span and 3–4 query spans per sampled request), ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per api in alternating order, means shown; each api is its own process exporting to a local OTLP/HTTP receiver in the benchmark process (${receiver.spans.length} spans received). autocannon, the three apis, the receiver and Postgres share the same cores. CPU per request is the api process's user + system time during its runs, over the requests it served.`,
    '',
    `Load average (1 min) at the start of the run: ${fmt(loadAtStart, 1)}, at the end: ${fmt(loadAtEnd, 1)} on ${navigator.hardwareConcurrency} cores — on a machine this busy the throughput column swings by tens of percent between rounds; the CPU column is the steadier figure.`,
  ].join('\n')
  console.log(`\n${md}`)
  updateResults('tracing overhead', machine, md, { durationSeconds: (performance.now() - started) / 1000 })
} finally {
  for (const c of children) await c.stop()
  await receiver.stop()
  await db.drop()
}
