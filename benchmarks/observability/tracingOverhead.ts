// What tracing costs: the same authenticated read (GET /api/collections) on
// four api processes — tracing off, on with sampler 1.0, 0.1 and 0 (every
// request dropped: what tracing costs a request it does not keep) — each
// exporting to a local OTLP receiver, loaded in turn by autocannon, in
// alternating order over several rounds so drift of a shared machine hits all
// alike. Two figures per api, both relative to tracing off: throughput,
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

/** µs per request through the span wrapper, per case: the median of 3 processes each, run alternately. */
async function wrapperCosts(): Promise<Record<'off' | 'read' | 'write', number>> {
  const cases = ['off', 'read', 'write'] as const
  const samples: Record<string, number[]> = { off: [], read: [], write: [] }
  for (let i = 0; i < 3; i++)
    for (const mode of cases) {
      const child = Bun.spawn([process.execPath, 'run', join(import.meta.dir, 'wrapperCost.ts'), mode], { stdout: 'pipe' })
      const out = JSON.parse(await new Response(child.stdout).text()) as { usPerRequest: number }
      samples[mode]!.push(out.usPerRequest)
    }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!
  return { off: mid(samples.off!), read: mid(samples.read!), write: mid(samples.write!) }
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
    { name: 'tracing on, sampler 0 (nothing kept)', slug: 'sampler-0', env: traced('0') },
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
    const forward = variants.map((_, i) => i)
    const order = round % 2 === 0 ? forward : forward.reverse()
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
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b)
    const mid = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  }
  const rps = runs.map((r) => mean(r.map((x) => x.load.rps)))
  // Each round's figure over tracing off's in the same round (the machine's
  // drift between rounds cancels), then the median over rounds.
  const perRound = (i: number, figure: (x: { load: Load; cpuMs: number }) => number) =>
    runs[i]!.map((x, round) => figure(x) / figure(runs[0]![round]!))
  const rpsRatio = runs.map((_, i) => perRound(i, (x) => x.load.rps))
  const cpuRatio = runs.map((_, i) => perRound(i, (x) => x.cpuMs / x.load.requests))
  const range = (xs: number[]) => `${fmt(Math.min(...xs), 2)}–${fmt(Math.max(...xs), 2)}`
  // Total CPU over total requests: rounds weigh by how much they served.
  const cpuPerRequest = runs.map((r) => r.reduce((n, x) => n + x.cpuMs, 0) / r.reduce((n, x) => n + x.load.requests, 0))
  const rows = variants.map((v, i) => [
    v.name,
    fmt(rps[i]!, 0),
    fmt(mean(runs[i]!.map((x) => x.load.p50)), 1),
    fmt(mean(runs[i]!.map((x) => x.load.p99)), 1),
    runs[i]!.reduce((n, x) => n + x.load.errors + x.load.non2xx, 0),
    `${fmt(median(rpsRatio[i]!), 3)} (${fmt(100 * (1 - median(rpsRatio[i]!)), 1)} % loss; rounds ${range(rpsRatio[i]!)})`,
    fmt(cpuPerRequest[i]!, 3),
    `${fmt(median(cpuRatio[i]!), 3)} (${fmt(100 * (median(cpuRatio[i]!) - 1), 1)} % more; rounds ${range(cpuRatio[i]!)})`,
  ])
  const table = markdownTable(
    [
      'api',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors + non-2xx',
      'throughput / tracing off (median of rounds)',
      'api CPU ms / request',
      'CPU / tracing off (median of rounds)',
    ],
    rows,
  )
  const wrapper = await wrapperCosts()
  const wrapperTable = markdownTable(
    ['request', 'µs per request', 'added by tracing'],
    [
      ['tracing off', fmt(wrapper.off, 2), ''],
      ['tracing on, unsampled read (GET: no context)', fmt(wrapper.read, 2), `+${fmt(wrapper.read - wrapper.off, 2)} µs`],
      ['tracing on, unsampled write (POST: context kept)', fmt(wrapper.write, 2), `+${fmt(wrapper.write - wrapper.off, 2)} µs`],
    ],
  )
  const loadAtEnd = loadavg()[0]!
  const md = [
    table,
    '',
    `GET /api/collections with a bearer token (JWT, session lookup, one query: a server span and 3–4 query spans per sampled request), ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per api in alternating order; req/s, latency and CPU are means over the rounds, the ratios are medians of each round's ratio to tracing off in the same round; each api is its own process exporting to a local OTLP/HTTP receiver in the benchmark process (${receiver.spans.length} spans received). autocannon, the apis, the receiver and Postgres share the same cores. CPU per request is the api process's user + system time during its runs, over the requests it served.`,
    '',
    'What a request the sampler drops pays, measured without a network or a database (`wrapperCost.ts`: the same 30-await handler through the HTTP span wrapper, 100,000 calls, median of 3 processes per case): the steady figure behind the noisy ratios above.',
    '',
    wrapperTable,
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
