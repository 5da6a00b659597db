// Concurrent streamed answers through the real api: N conversations ask at once
// (starts spread over --ramp-ms), the api retrieves, calls the Anthropic
// emulator (its own process, fixed TTFT and pace) and relays tokens over SSE.
// Measured per stream by our own SSE client: server-added time to first token
// (first `token` event − request start − the emulator's TTFT), delivered
// tokens/s, errors; and the api's RSS per open stream.
//
//   bun run benchmarks/chat-sse/concurrentStreams.ts [--streams=100,500,1000] [--ramp-ms=1000] [--no-results]
import { insertConversation } from '../../server/chat/sql.ts'
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, startAnthropicEmulator, startApi, type Child, rerunWithFetchLimit } from '../processes.ts'
import { LONG_TRANSCRIPTS, seedCollection } from '../seedCollection.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'
import { updateResults } from '../updateResults.ts'
import { askStream, failureSummary, type StreamResult } from './askStream.ts'

// One client process holds every stream: more requests in flight than Bun's default.
await rerunWithFetchLimit(4096)

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const WAVES = option('streams', '100,500,1000').split(',').map(Number)
const RAMP_MS = Number(option('ramp-ms', '1000'))
const TTFT_MS = 300
const TOKENS_PER_SECOND = 20
const STREAM_TIMEOUT_MS = 90_000
const API_ENV = Object.fromEntries(
  option('api-env', '')
    .split(';')
    .filter(Boolean)
    .map((kv) => kv.split('=') as [string, string]),
)
const ANSWER = [
  'DiskCache stores Python objects in SQLite files on disk [1], so a cache survives restarts and can be shared by several processes on one machine.',
  'It is often faster than a network cache such as Redis for local reads [2], because no request leaves the machine and the operating system',
  'keeps hot pages in memory.',
].join(' ')
const QUESTION = 'Why would I use diskcache instead of Redis for caching in a Python web app?'

type Wave = {
  streams: number
  results: StreamResult[]
  wallMs: number
  baselineKiB: number
  peakKiB: number
  peakOpen: number
  atPeakOpenKiB: number
}

async function wave(api: Child, bearer: Record<string, string>, conversations: string[]): Promise<Wave> {
  Bun.gc(true)
  await Bun.sleep(500)
  const baselineKiB = api.rssKiB()
  let open = 0
  let peakOpen = 0
  let peakKiB = baselineKiB
  let atPeakOpenKiB = baselineKiB
  const sampler = setInterval(() => {
    const rss = api.rssKiB()
    peakKiB = Math.max(peakKiB, rss)
    if (open >= peakOpen) atPeakOpenKiB = Math.max(atPeakOpenKiB, rss)
  }, 50)
  const started = performance.now()
  const results = await Promise.all(
    conversations.map(async (id, i) => {
      await Bun.sleep((RAMP_MS * i) / conversations.length)
      open++
      if (open > peakOpen) peakOpen = open
      try {
        return await askStream(api.url, bearer, id, QUESTION, STREAM_TIMEOUT_MS)
      } finally {
        open--
      }
    }),
  )
  const wallMs = performance.now() - started
  clearInterval(sampler)
  return { streams: conversations.length, results, wallMs, baselineKiB, peakKiB, peakOpen, atPeakOpenKiB }
}

const startedAll = performance.now()
const db = await createBenchDatabase()
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  const seeded = await seedCollection(db.sql, config, user.id, LONG_TRANSCRIPTS[3]!)
  const total = WAVES.reduce((a, b) => a + b, 0) + 20
  const conversations: string[] = []
  for (let i = 0; i < total; i++) conversations.push(await insertConversation(db.sql, user.id, seeded.collectionId, `Benchmark ${i}`))
  const answerWords = ANSWER.split(/\s+/).length
  console.log(
    `collection: 1 video, ${seeded.chunks} chunks; ${conversations.length} conversations; answer ${answerWords} words; emulator TTFT ${TTFT_MS} ms, ${TOKENS_PER_SECOND} tokens/s; starts spread over ${RAMP_MS} ms`,
  )
  const emulator = await startAnthropicEmulator([
    '--ttft-ms',
    String(TTFT_MS),
    '--tokens-per-second',
    String(TOKENS_PER_SECOND),
    '--answer',
    ANSWER,
  ])
  children.push(emulator)
  const api = await startApi(db.url, { ANTHROPIC_API_KEY: 'benchmark', ANTHROPIC_BASE_URL: emulator.url, ...API_ENV })
  children.push(api)
  const fds = (await Bun.$`sh -c 'ulimit -n'`.text()).trim()
  console.log(
    `api pid ${api.pid}, DB_POOL_MAX ${API_ENV.DB_POOL_MAX ?? 10}, open-files limit ${fds}${Object.keys(API_ENV).length ? `, api env ${JSON.stringify(API_ENV)}` : ''}`,
  )

  const warm = await wave(api, user.bearer, conversations.splice(0, 20))
  if (warm.results.some((r) => !r.ok)) throw new Error(`warm-up failed: ${warm.results.find((r) => !r.ok)!.error}`)

  const rows: (string | number)[][] = []
  const notes: string[] = []
  for (const n of WAVES) {
    const w = await wave(api, user.bearer, conversations.splice(0, n))
    const ok = w.results.filter((r) => r.ok)
    const ttft = summarize(ok.map((r) => r.firstTokenAt! - r.startedAt - TTFT_MS))
    const perStream = summarize(ok.map((r) => r.outputTokens / ((r.doneAt! - r.firstTokenAt!) / 1000)))
    const tokens = ok.reduce((a, r) => a + r.outputTokens, 0)
    const perStreamKiB = (w.atPeakOpenKiB - w.baselineKiB) / Math.max(1, w.peakOpen)
    rows.push([
      n,
      fmt(ttft.p50, 0),
      fmt(ttft.p95, 0),
      fmt(ttft.p99, 0),
      fmt(perStream.p50, 1),
      fmt(tokens / (w.wallMs / 1000), 0),
      `${n - ok.length}`,
      w.peakOpen,
      fmt(w.baselineKiB / 1024, 0),
      fmt(w.peakKiB / 1024, 0),
      fmt(perStreamKiB, 0),
      fmt(w.wallMs / 1000, 1),
    ])
    const errText = failureSummary(w.results)
    console.log(
      `${n} streams: TTFT added p50 ${fmt(ttft.p50, 0)} / p95 ${fmt(ttft.p95, 0)} / p99 ${fmt(ttft.p99, 0)} ms; ${fmt(perStream.p50, 1)} tokens/s per stream; ${ok.length}/${n} ok${errText ? ` (${errText})` : ''}; RSS ${fmt(w.baselineKiB / 1024, 0)} -> ${fmt(w.peakKiB / 1024, 0)} MiB at ${w.peakOpen} open; ${fmt(w.wallMs / 1000, 1)} s`,
    )
    if (errText) notes.push(`${n} streams: ${errText}`)
    // A client whose answer never arrives may still be generating in the api; let it settle.
    await Bun.sleep(1000)
  }
  const table = markdownTable(
    [
      'streams',
      'TTFT added p50 ms',
      'p95 ms',
      'p99 ms',
      'tokens/s per stream (p50)',
      'tokens/s delivered, all streams',
      'failed streams',
      'peak open',
      'api RSS before MiB',
      'api RSS peak MiB',
      'KiB per open stream',
      'wave s',
    ],
    rows,
  )
  const md = [
    table,
    '',
    `Emulator: TTFT ${TTFT_MS} ms, ${TOKENS_PER_SECOND} tokens/s, ${answerWords}-word answer (subtracted: "TTFT added" is what the api adds: auth, retrieval over ${seeded.chunks} chunks, two inserts, the upstream call, relaying). Starts spread over ${RAMP_MS} ms; one conversation per stream; api DB_POOL_MAX ${API_ENV.DB_POOL_MAX ?? 10}; client and emulator are separate processes on the same 2 cores. KiB per open stream = (RSS at peak open − RSS before) / peak open.`,
    ...(notes.length ? ['', 'Failures: ' + notes.join('. ') + '.'] : []),
  ].join('\n')
  console.log(`\n${md}`)
  updateResults('chat-sse', machine, md, { durationSeconds: (performance.now() - startedAll) / 1000 })
} finally {
  for (const c of children.reverse()) await c.stop()
  await db.drop()
}
