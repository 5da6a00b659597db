// Open-loop chat load, the way load really arrives: questions arrive at a
// constant rate whether or not earlier answers have finished (k6's
// constant-arrival-rate), so queueing inside the api shows up as time to first
// token instead of slowing the arrivals down, as a closed loop would. Each
// rate runs a warm-up, then a measured window; only questions that arrive in
// the window count. Up to --max-open streams stay open at once (an arrival
// beyond it is counted as "not sent", never delayed).
//
// Reported per rate: server-added TTFT (first token − request start − the
// emulator's TTFT) p50/p95/p99, tokens/s per stream, failed streams, api and
// Postgres CPU (% of one core, measured over the window), api RSS and KiB per
// open stream. Headline: the highest rate with server-added TTFT p95 ≤ 500 ms
// and no failed stream.
//
//   bun run benchmarks/chat-sse/openLoop.ts [--rates=10,25,50,100,150] [--seconds=30] [--warmup=5] [--max-open=1000] [--no-results]
//   bun run benchmarks/chat-sse/openLoop.ts --rates=25 --answer-seconds=40 --warmup=45   # 1,000 streams open at 25/s (own RESULTS section)
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { cpuSeconds, cpuWindow, postmasterPid } from '../processStats.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, startAnthropicEmulator, startApi, type Child, rerunWithFetchLimit } from '../processes.ts'
import { LONG_TRANSCRIPTS, seedCollection } from '../seedCollection.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'
import { updateResults } from '../updateResults.ts'
import { askStream, failureSummary, type StreamResult } from './askStream.ts'

// One client process holds every stream: more requests in flight than Bun's default.
await rerunWithFetchLimit(4096)

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const RATES = option('rates', '10,25,50,100,150').split(',').map(Number)
const SECONDS = Number(option('seconds', '30'))
const WARMUP_SECONDS = Number(option('warmup', '5'))
const MAX_OPEN = Number(option('max-open', '1000'))
const TTFT_MS = 300
const TOKENS_PER_SECOND = 20
const STREAM_TIMEOUT_MS = 120_000
const TTFT_BUDGET_MS = 500
// The emulator's answer: a 46-word block repeated, ~3 s of tokens each at 20
// tokens/s. Three blocks (~9 s) by default, so at 100 questions/s about 1,000
// streams are open at once; --answer-seconds=40 keeps 1,000 open at 25/s (with
// a warm-up as long, so the measured window starts with them open).
const BLOCK =
  'DiskCache stores Python objects in SQLite files on disk [1], so a cache survives restarts and can be shared by several processes on one machine. It is often faster than a network cache such as Redis for local reads [2], because no request leaves the machine.'
const ANSWER_SECONDS = option('answer-seconds', '')
const BLOCKS = ANSWER_SECONDS ? Math.max(1, Math.round((Number(ANSWER_SECONDS) * TOKENS_PER_SECOND) / (46 * 1.3))) : 3
const ANSWER = Array.from({ length: BLOCKS }, () => BLOCK).join(' ')
const QUESTION = 'Why would I use diskcache instead of Redis for caching in a Python web app?'

type Arrival = { measured: boolean; result: StreamResult | null; notSent: boolean }
type RateRun = {
  rate: number
  arrivals: Arrival[]
  apiCpu: number
  pgCpu: number
  /** The emulator and this load generator: they share the box's 2 cores with the api and Postgres. */
  emulatorCpu: number
  clientCpu: number
  /** The box is shared: its 1-minute load average when the rate started. */
  loadAverage: string
  baselineKiB: number
  peakKiB: number
  peakOpen: number
  atPeakOpenKiB: number
}

async function runRate(
  rate: number,
  api: Child,
  emulator: Child,
  pgPid: number,
  bearer: Record<string, string>,
  conversations: string[],
): Promise<RateRun> {
  Bun.gc(true)
  await Bun.sleep(1000)
  const loadAverage = (await Bun.file('/proc/loadavg').text()).split(' ')[0]!
  const baselineKiB = api.rssKiB()
  let open = 0
  let peakOpen = 0
  let peakKiB = baselineKiB
  let atPeakOpenKiB = baselineKiB
  const sampler = setInterval(() => {
    const rss = api.rssKiB()
    peakKiB = Math.max(peakKiB, rss)
    if (open >= peakOpen) atPeakOpenKiB = Math.max(atPeakOpenKiB, rss)
  }, 100)
  const total = Math.round(rate * (WARMUP_SECONDS + SECONDS))
  const warmupCount = Math.round(rate * WARMUP_SECONDS)
  const arrivals: Arrival[] = []
  const pending: Promise<void>[] = []
  let apiWindow: { stop(): number } | null = null
  let pgWindow: { stop(): number } | null = null
  let emulatorWindow: { stop(): number } | null = null
  let clientWindow: { stop(): number } | null = null
  let apiCpu = NaN
  let pgCpu = NaN
  const started = performance.now()
  for (let i = 0; i < total; i++) {
    // Arrival i is due at i / rate seconds; sleep until then (never catch up by bunching).
    const due = started + (1000 * i) / rate
    const wait = due - performance.now()
    if (wait > 1) await Bun.sleep(wait)
    if (i === warmupCount) {
      apiWindow = cpuWindow(() => cpuSeconds([api.pid]))
      pgWindow = cpuWindow(() => cpuSeconds([pgPid], true))
      emulatorWindow = cpuWindow(() => cpuSeconds([emulator.pid]))
      clientWindow = cpuWindow(() => cpuSeconds([process.pid]))
    }
    const arrival: Arrival = { measured: i >= warmupCount, result: null, notSent: false }
    arrivals.push(arrival)
    if (open >= MAX_OPEN) {
      arrival.notSent = true
      continue
    }
    open++
    peakOpen = Math.max(peakOpen, open)
    pending.push(
      askStream(api.url, bearer, conversations[i]!, QUESTION, STREAM_TIMEOUT_MS).then((r) => {
        arrival.result = r
        open--
      }),
    )
  }
  // CPU over the arrival window only: the tail of draining streams is not load at this rate.
  apiCpu = apiWindow?.stop() ?? NaN
  pgCpu = pgWindow?.stop() ?? NaN
  const emulatorCpu = emulatorWindow?.stop() ?? NaN
  const clientCpu = clientWindow?.stop() ?? NaN
  await Promise.all(pending)
  clearInterval(sampler)
  return { rate, arrivals, apiCpu, pgCpu, emulatorCpu, clientCpu, loadAverage, baselineKiB, peakKiB, peakOpen, atPeakOpenKiB }
}

const startedAll = performance.now()
const db = await createBenchDatabase()
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  const seeded = await seedCollection(db.sql, config, user.id, LONG_TRANSCRIPTS[3]!)
  const perRate = RATES.map((r) => Math.round(r * (WARMUP_SECONDS + SECONDS)))
  // One fresh conversation per question, made in one statement (thousands of them).
  const ids = await db.sql<{ id: string }[]>`
    insert into conversations (user_id, collection_id, title)
    select ${user.id}, ${seeded.collectionId}, 'Benchmark ' || g from generate_series(1, ${perRate.reduce((a, b) => a + b, 0)}) g
    returning id`
  const pool = ids.map((r) => r.id)
  const emulator = await startAnthropicEmulator([
    '--ttft-ms',
    String(TTFT_MS),
    '--tokens-per-second',
    String(TOKENS_PER_SECOND),
    '--answer',
    ANSWER,
  ])
  children.push(emulator)
  const api = await startApi(db.url, { ANTHROPIC_API_KEY: 'benchmark', ANTHROPIC_BASE_URL: emulator.url })
  children.push(api)
  const pgPid = await postmasterPid(db.sql)
  console.log(
    `collection: 1 video, ${seeded.chunks} chunks; answer ${ANSWER.split(/\s+/).length} words; emulator TTFT ${TTFT_MS} ms, ${TOKENS_PER_SECOND} tokens/s; ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured per rate; at most ${MAX_OPEN} open streams`,
  )

  const rows: (string | number)[][] = []
  const notes: string[] = []
  let headline: number | null = null
  for (const rate of RATES) {
    const run = await runRate(rate, api, emulator, pgPid, user.bearer, pool.splice(0, Math.round(rate * (WARMUP_SECONDS + SECONDS))))
    const measured = run.arrivals.filter((a) => a.measured)
    const sent = measured.filter((a) => !a.notSent).map((a) => a.result!)
    const ok = sent.filter((r) => r.ok)
    const notSent = measured.length - sent.length
    const failed = sent.length - ok.length
    const ttft = summarize(ok.map((r) => r.firstTokenAt! - r.startedAt - TTFT_MS))
    const perStream = summarize(ok.map((r) => r.outputTokens / ((r.doneAt! - r.firstTokenAt!) / 1000)))
    const perStreamKiB = (run.atPeakOpenKiB - run.baselineKiB) / Math.max(1, run.peakOpen)
    const sustained = failed === 0 && notSent === 0 && ttft.p95 <= TTFT_BUDGET_MS
    if (sustained) headline = Math.max(headline ?? 0, rate)
    rows.push([
      rate,
      measured.length,
      fmt(ttft.p50, 0),
      fmt(ttft.p95, 0),
      fmt(ttft.p99, 0),
      fmt(perStream.p50, 1),
      failed,
      notSent,
      run.peakOpen,
      fmt(run.apiCpu, 0),
      fmt(run.pgCpu, 0),
      `${fmt(run.emulatorCpu, 0)} / ${fmt(run.clientCpu, 0)}`,
      fmt(run.peakKiB / 1024, 0),
      fmt(perStreamKiB, 0),
      sustained ? 'yes' : 'no',
      run.loadAverage,
    ])
    const errText = failureSummary(sent)
    if (errText) notes.push(`${rate}/s: ${errText}`)
    console.log(
      `${rate}/s: ${measured.length} measured questions; TTFT added p50 ${fmt(ttft.p50, 0)} / p95 ${fmt(ttft.p95, 0)} / p99 ${fmt(ttft.p99, 0)} ms; ${fmt(perStream.p50, 1)} tokens/s per stream; ${failed} failed${errText ? ` (${errText})` : ''}, ${notSent} not sent; peak ${run.peakOpen} open; api CPU ${fmt(run.apiCpu, 0)} %, Postgres CPU ${fmt(run.pgCpu, 0)} %, emulator ${fmt(run.emulatorCpu, 0)} %, load generator ${fmt(run.clientCpu, 0)} %; api RSS ${fmt(run.peakKiB / 1024, 0)} MiB, ${fmt(perStreamKiB, 0)} KiB per open stream`,
    )
    // Past the rate the box sustains, higher rates only pile up timeouts.
    if (!sustained && ttft.p95 > 10 * TTFT_BUDGET_MS) {
      notes.push(`stopped after ${rate}/s: server-added TTFT p95 above ${10 * TTFT_BUDGET_MS} ms`)
      break
    }
  }
  const table = markdownTable(
    [
      'questions/s',
      'measured',
      'TTFT added p50 ms',
      'p95 ms',
      'p99 ms',
      'tokens/s per stream (p50)',
      'failed',
      'not sent',
      'peak open',
      'api CPU %',
      'Postgres CPU %',
      'emulator / load generator CPU %',
      'api RSS peak MiB',
      'KiB per open stream',
      `p95 ≤ ${TTFT_BUDGET_MS} ms, no failures`,
      'load avg at start',
    ],
    rows,
  )
  const md = [
    `**Highest rate sustained with server-added TTFT p95 ≤ ${TTFT_BUDGET_MS} ms: ${headline === null ? 'none of the rates tried' : `${headline} questions/s`}.**`,
    '',
    table,
    '',
    `Open loop: questions arrive at a constant rate (one new conversation each), ${WARMUP_SECONDS} s warm-up then ${SECONDS} s measured per rate; at most ${MAX_OPEN} streams open (an arrival beyond is "not sent"). Emulator: TTFT ${TTFT_MS} ms, ${TOKENS_PER_SECOND} tokens/s, ${ANSWER.split(/\s+/).length}-word answer (~${Math.round((ANSWER.split(/\s+/).length * 1.3) / TOKENS_PER_SECOND)} s per stream). CPU is % of one core over the arrival window (200 % = both cores; api + Postgres + emulator + load generator near 200 % means the box is saturated); Postgres = postmaster + its live backends. KiB per open stream = (RSS at peak open − RSS before the rate) / peak open. Client, emulator, api and Postgres share the same 2 cores.`,
    ...(notes.length ? ['', `Notes: ${notes.join('. ')}.`] : []),
  ].join('\n')
  console.log(`\n${md}`)
  updateResults(ANSWER_SECONDS ? 'chat-sse open loop, long answers' : 'chat-sse open loop', machine, md, {
    durationSeconds: (performance.now() - startedAll) / 1000,
  })
} finally {
  for (const c of children.reverse()) await c.stop()
  await db.drop()
}
