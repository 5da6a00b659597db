// What tracing costs: the same authenticated read (GET /api/collections) on
// api processes with tracing on (sampler 1.0, 0.1 and 0: every request
// dropped, what tracing costs a request it does not keep), exporting to a
// local OTLP receiver, and one with tracing off as a control. Each is loaded
// by autocannon at the same time as its own partner api with tracing off
// (half the connections each), over several rounds, so drift of a shared
// machine hits both sides of a pair alike. Two figures per api, both relative
// to its partner: throughput, and CPU time the api process spent per request
// (from /proc). After each pair whose api keeps spans, the next pair waits
// until that api's exporter has sent its last batch (and the receiver, which
// only counts spans, has read it), so no api is measured while another one's
// export still uses the shared cores.
//
//   bun run benchmarks/observability/tracingOverhead.ts [--seconds=5] [--rounds=3] [--cpu-prof=DIR] [--no-results]
//
// --cpu-prof=DIR: each api writes a Bun CPU profile (markdown) into DIR/<variant>/ on exit.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { insertCollection } from '../../server/collections/sql.ts'
import { createAccessTokens } from '../../server/auth/accessTokens.ts'
import { makeUser } from '../../testing/factories.ts'
import { startOtlpReceiver } from '../../testing/otlp/receiver.ts'
import { autocannon, type Load } from '../autocannon.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, startApi, type Child } from '../processes.ts'
import { fmt, markdownTable, quantile } from '../stats.ts'
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

type WrapperCase = 'off' | 'read' | 'write' | 'sampled'
/** CPU µs per request through the span wrapper, per case: the median of 3 processes each, run alternately. */
async function wrapperCosts(): Promise<Record<WrapperCase, number>> {
  const cases: WrapperCase[] = ['off', 'read', 'write', 'sampled']
  const samples: Record<string, number[]> = { off: [], read: [], write: [], sampled: [] }
  for (let i = 0; i < 3; i++)
    for (const mode of cases) {
      const child = Bun.spawn([process.execPath, 'run', join(import.meta.dir, 'wrapperCost.ts'), mode], { stdout: 'pipe' })
      const out = JSON.parse(await new Response(child.stdout).text()) as { usPerRequest: number }
      samples[mode]!.push(out.usPerRequest)
    }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!
  return { off: mid(samples.off!), read: mid(samples.read!), write: mid(samples.write!), sampled: mid(samples.sampled!) }
}

const started = performance.now()
const loadAtStart = loadavg()[0]!
const db = await createBenchDatabase()
const receiver = startOtlpReceiver({ keepSpans: false })
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  const tokens = createAccessTokens(config.JWT_SECRET!, config.PUBLIC_URL, config.ACCESS_TOKEN_TTL_SECONDS)
  for (let i = 0; i < 5; i++) await insertCollection(db.sql, user.id, `Collection ${i + 1}`, 'A collection for the tracing benchmark.')
  const traced = (ratio: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
  })
  // The apis measured, each beside its own partner with tracing off.
  const subjects = [
    { name: 'tracing on, sampler 1.0', slug: 'sampler-1.0', env: traced('1'), exports: true },
    { name: 'tracing on, sampler 0.1', slug: 'sampler-0.1', env: traced('0.1'), exports: true },
    { name: 'tracing on, sampler 0 (nothing kept)', slug: 'sampler-0', env: traced('0'), exports: false },
    // A/A control: what the pairing itself reads when both sides are the same.
    { name: 'tracing off, a second process (control)', slug: 'off-control', env: {}, exports: false },
  ]
  // The batch processor sends a partial batch 5 s after its first span: quiet
  // for longer than that means the api's export is over (bounded at 20 s).
  const settleExports = async () => {
    const deadline = Date.now() + 20_000
    let last = receiver.received
    let quietSince = Date.now()
    while (Date.now() - quietSince < 5_500 && Date.now() < deadline) {
      await Bun.sleep(250)
      if (receiver.received !== last) {
        last = receiver.received
        quietSince = Date.now()
      }
    }
  }
  const start = async (env: Record<string, string>, slug: string) => {
    const flags = PROFILE_DIR ? ['--cpu-prof-md', `--cpu-prof-dir=${join(resolve(PROFILE_DIR), slug)}`] : []
    const api = await startApi(db.url, env, flags)
    children.push(api)
    return api
  }
  // Each subject has its own partner with tracing off, loaded only beside it:
  // both sides of a pair have run and rested alike. (One partner shared by all
  // pairs ran 12–25 % slower than the control beside it: it never rested.)
  const apis: { subject: Child; partner: Child }[] = []
  for (const s of subjects) apis.push({ subject: await start(s.env, s.slug), partner: await start({}, `${s.slug}-partner`) })
  const url = (api: Child) => `${api.url}/api/collections`
  for (const api of children) await autocannon(url(api), CONNECTIONS, 2, user.bearer)
  await settleExports()
  type Run = { load: Load; cpuMs: number }
  // Each pair is loaded at once, half the connections each, so whatever else
  // the machine does in those seconds slows both alike and their ratio keeps
  // only what tracing costs. (Measured one after the other, single rounds of
  // the same api swung by ±30 % on this shared box.)
  const pairs: { traced: Run; off: Run }[][] = subjects.map(() => [])
  const measure = async (sides: Child[]): Promise<Run[]> => {
    const before = sides.map((api) => cpuMs(api.pid))
    // A fresh access token per pair: a run outlasts its lifetime (15 min by
    // default), and an expired one turns every request into a fast 401.
    const bearer = { authorization: `Bearer ${await tokens.sign({ sub: user.id, sid: user.sessionId })}` }
    const loads = await Promise.all(sides.map((api) => autocannon(url(api), CONNECTIONS / 2, SECONDS, bearer)))
    const failed = loads.reduce((n, l) => n + l.errors + l.non2xx, 0)
    if (failed > 0) throw new Error(`${failed} requests failed or were refused in a pair: its figures would not be the endpoint's`)
    return sides.map((api, k) => ({ load: loads[k]!, cpuMs: cpuMs(api.pid) - before[k]! }))
  }
  const forward = subjects.map((_, i) => i)
  for (let round = 0; round < ROUNDS; round++) {
    for (const i of round % 2 === 0 ? forward : [...forward].reverse()) {
      const [off, run] = await measure([apis[i]!.partner, apis[i]!.subject])
      pairs[i]!.push({ traced: run!, off: off! })
      if (subjects[i]!.exports) await settleExports()
      console.log(
        `round ${round + 1}, ${subjects[i]!.name}: ${fmt(run!.load.rps, 0)} req/s beside ${fmt(off!.load.rps, 0)} with tracing off; CPU ms/request ${fmt(run!.cpuMs / run!.load.requests, 3)} beside ${fmt(off!.cpuMs / off!.load.requests, 3)}`,
      )
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const median = (xs: number[]) => quantile(xs, 0.5)
  const perRequest = (x: Run) => x.cpuMs / x.load.requests
  // The first row is the partners, over all their runs; each subject's ratios
  // are its figure over its partner's in the same pair, medians over rounds.
  const rowData = [
    { name: 'tracing off (no OTLP endpoint): the partners', runs: pairs.flat().map((x) => x.off), ratios: null },
    ...subjects.map((s, i) => ({
      name: s.name,
      runs: pairs[i]!.map((x) => x.traced),
      ratios: {
        rps: pairs[i]!.map((x) => x.traced.load.rps / x.off.load.rps),
        cpu: pairs[i]!.map((x) => perRequest(x.traced) / perRequest(x.off)),
      },
    })),
  ]
  // The middle half of the rounds: how far one round's ratio strays.
  const spread = (xs: number[]) => `${fmt(quantile(xs, 0.25), 2)}–${fmt(quantile(xs, 0.75), 2)}`
  // Total CPU over total requests: rounds weigh by how much they served.
  const cpuPerRequest = (runs: Run[]) => runs.reduce((n, x) => n + x.cpuMs, 0) / runs.reduce((n, x) => n + x.load.requests, 0)
  const rows = rowData.map(({ name, runs, ratios }) => [
    name,
    fmt(mean(runs.map((x) => x.load.rps)), 0),
    fmt(mean(runs.map((x) => x.load.p50)), 1),
    fmt(mean(runs.map((x) => x.load.p99)), 1),
    runs.reduce((n, x) => n + x.load.errors + x.load.non2xx, 0),
    ratios
      ? `${fmt(median(ratios.rps), 3)} (${fmt(100 * (1 - median(ratios.rps)), 1)} % loss; middle half of rounds ${spread(ratios.rps)})`
      : '1',
    fmt(cpuPerRequest(runs), 3),
    ratios ? `${fmt(median(ratios.cpu), 3)} (${fmt(100 * (median(ratios.cpu) - 1), 1)} % more; middle half ${spread(ratios.cpu)})` : '1',
  ])
  const table = markdownTable(
    [
      'api',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors + non-2xx',
      'throughput / tracing off beside it (median of rounds)',
      'api CPU ms / request',
      'CPU / tracing off beside it (median of rounds)',
    ],
    rows,
  )
  const wrapper = await wrapperCosts()
  const added = (us: number) => `+${fmt(us - wrapper.off, 2)} µs`
  const wrapperTable = markdownTable(
    ['request', 'CPU µs per request', 'added by tracing'],
    [
      ['tracing off', fmt(wrapper.off, 2), ''],
      ['tracing on, unsampled read (GET: no context)', fmt(wrapper.read, 2), added(wrapper.read)],
      ['tracing on, unsampled write (POST: context kept)', fmt(wrapper.write, 2), added(wrapper.write)],
      ['tracing on, sampled read (5 spans built and exported)', fmt(wrapper.sampled, 2), added(wrapper.sampled)],
    ],
  )
  // Sampler 0.1 on reads: a tenth pay the sampled cost, the rest the unsampled one;
  // as a share of what tracing-off's request costs the api under load above.
  const offCpuUs = cpuPerRequest(rowData[0]!.runs) * 1000
  const estimate = (ratio: number) => ratio * (wrapper.sampled - wrapper.off) + (1 - ratio) * (wrapper.read - wrapper.off)
  const estimateLine = [0.1, 1]
    .map(
      (r) =>
        `sampler ${r === 1 ? '1.0' : r}: ${fmt(estimate(r), 1)} µs, **${fmt((100 * estimate(r)) / offCpuUs, 1)} %** of the ${fmt(offCpuUs, 0)} µs tracing off's request costs the api under load`,
    )
    .join('; ')
  const loadAtEnd = loadavg()[0]!
  const md = [
    table,
    '',
    `GET /api/collections with a bearer token (JWT, session lookup, one query: a server span and 3–4 query spans per sampled request). ${ROUNDS} rounds; in each, every traced api runs ${SECONDS} s side by side with its own partner api with tracing off (loaded only beside it, so both have run and rested alike), both loaded at once by their own autocannon with ${CONNECTIONS / 2} connections each (pairs in alternating order between rounds). The ratios are medians over rounds of the traced api's figure over tracing off's in the same pair, with the middle half of the rounds' ratios; req/s, latency and CPU are means over the runs (tracing off: over all the partners). Each api is its own process exporting to a local OTLP/HTTP receiver in the benchmark process (${receiver.received} spans received; it counts them and keeps none). After each pair with an api that keeps spans, the next pair starts only once that api's exporter has sent its last batch. autocannon, the apis, the receiver and Postgres share the same cores. CPU per request is the api process's user + system time during its runs, over the requests it served.`,
    '',
    "What tracing adds to one request, measured in process without a network or a database (`wrapperCost.ts`: the same 30-await handler through the HTTP span wrapper, four awaits in a query-shaped child span, 50 requests in flight; 100,000 requests, 20,000 when sampled; CPU time of the process, median of 3 processes per case): the steady figure behind the noisy ratios above. A sampled request's spans are built, batched, serialised and posted by the real OTLP/HTTP exporter to a local endpoint that only reads the body.",
    '',
    wrapperTable,
    '',
    `CPU tracing adds to a read, from these figures (a share r of requests sampled, the rest dropped): ${estimateLine}.`,
    '',
    `Load average (1 min) at the start of the run: ${fmt(loadAtStart, 1)}, at the end: ${fmt(loadAtEnd, 1)} on ${navigator.hardwareConcurrency} cores. Single pairs disagree by ±10 % even when both sides are the same (the control row's middle half), so the medians carry a few percent of noise; the in-process figures are the steady ones.`,
  ].join('\n')
  console.log(`\n${md}`)
  updateResults('tracing overhead', machine, md, { durationSeconds: (performance.now() - started) / 1000 })
} finally {
  for (const c of children) await c.stop()
  await receiver.stop()
  await db.drop()
}
