// 1,000 concurrent users against the scaled-out topology on one box: real
// nginx (the deploy role's config) in front of two api instances, the worker
// supervisor with its workers, Postgres (direct, or the api pools through
// PgBouncer in transaction mode) and the Anthropic emulator. Each virtual user
// thinks (exponential, --think-s mean) between actions drawn from a mix:
// list collections, open a transcript, list a collection's videos, search
// their conversations, ask a question and read the streamed answer to the end
// (one in ten stops reading after the first tokens and resumes from
// Last-Event-ID, as a reload does), and now and then upload a transcript
// (an ingest job for the workers). Access tokens live ACCESS_TTL_S: each
// account renews its own with its refresh token before it expires, once for
// all the users sharing it, as the web app does. Reports per endpoint class, the SLOs, the
// machine's load and each process's CPU and memory, queue depth and workers.
//
//   bun run benchmarks/load/loadTest.ts [--users=1000] [--ramp-s=30] [--steady-s=60] [--think-s=10] [--mode=direct,pgbouncer] [--no-results]
//
// --users=250,500,750: one run per count (and mode), each on fresh processes,
// and a table of which counts meet every SLO; written to its own section
// ("load: user counts") so the 1,000-user run stays beside it.
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { readReadyJobs } from '../../server/platform/queueMetrics.ts'
import { startNginx } from '../../testing/startNginx.ts'
import { createBenchDatabase } from '../benchDatabase.ts'

type BenchDb = Awaited<ReturnType<typeof createBenchDatabase>>
import { type Machine, printMachine } from '../machine.ts'
import { API_JWT_SECRET, freePort, startAnthropicEmulator, startApi, startChild, type Child, rerunWithFetchLimit } from '../processes.ts'
import { summarize } from '../stats.ts'
import { updateResults } from '../updateResults.ts'
import { cpuSeconds, postmasterPid, rssOf } from '../processStats.ts'
import { startPgBouncer } from '../../testing/pgbouncer.ts'
import { chartFile, report, type Ask, type Run, type Sample, type Setup, type Tick, userCounts } from './report.ts'
import { writeTimelineSvg } from './timelineChart.ts'
import { ACCESS_TTL_S } from './accounts.ts'
import { type Seeded, seedAccounts } from './seedAccounts.ts'
import { virtualUser, type World } from './virtualUser.ts'

// One client process holds every stream: more requests in flight than Bun's default.
await rerunWithFetchLimit(8192)

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const USER_COUNTS = option('users', '1000').split(',').map(Number)
const RAMP_S = Number(option('ramp-s', '30'))
const STEADY_S = Number(option('steady-s', '60'))
const THINK_S = Number(option('think-s', '10'))
const MODES = option('mode', 'direct,pgbouncer').split(',') as ('direct' | 'pgbouncer')[]
const ACCOUNTS = Math.min(Math.max(...USER_COUNTS), 100) // users share accounts (argon2 hashing 1,000 passwords would dominate the setup)
const TTFT_MS = 300
const TOKENS_PER_SECOND = 40
const ANSWER =
  'DiskCache stores Python objects in SQLite files on disk [1], so a cache survives restarts and can be shared by several processes on one machine. It is often faster than a network cache for local reads [2].'

async function scrapeWorkers(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then(
    (r) => r.text(),
    () => '',
  )
  return Number(/^kt_supervisor_workers_running\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? NaN)
}

async function runMode(mode: 'direct' | 'pgbouncer', users: number, db: BenchDb, machine: Machine, seeded: Seeded): Promise<Run> {
  const children: (Child | { stop(): Promise<void> })[] = []
  try {
    const emulator = await startAnthropicEmulator([
      '--ttft-ms',
      String(TTFT_MS),
      '--tokens-per-second',
      String(TOKENS_PER_SECOND),
      '--answer',
      ANSWER,
      // A follow-up's rewrite is a short search query, not an answer.
      '--short-answer',
      'an example of storing Python objects on disk with diskcache',
    ])
    children.push(emulator)
    const bouncer = mode === 'pgbouncer' ? await startPgBouncer(db.url, { poolSize: 20, maxClients: 500 }) : null
    if (bouncer) children.push(bouncer)
    const apiEnv = {
      ANTHROPIC_API_KEY: 'benchmark',
      ANTHROPIC_BASE_URL: emulator.url,
      TRUSTED_PROXIES: '127.0.0.1/32',
      DB_POOL_MAX: '10',
      ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_S),
      ...(bouncer ? { DATABASE_POOLER_URL: bouncer.url } : {}),
    }
    const apis = [await startApi(db.url, apiEnv), await startApi(db.url, apiEnv)]
    children.push(...apis)
    const supervisorPort = freePort()
    const supervisor = await startChild(
      'jobs/supervisor.ts',
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        JWT_SECRET: API_JWT_SECRET,
        DATABASE_URL: db.url,
        WORKERS_MIN: '1',
        WORKERS_MAX: '3',
        WORKERS_CHECK_SECONDS: '2',
        WORKERS_COOLDOWN_SECONDS: '30',
        SUPERVISOR_METRICS_PORT: String(supervisorPort),
        ANTHROPIC_API_KEY: 'benchmark',
        ANTHROPIC_BASE_URL: emulator.url,
      },
      { port: supervisorPort, readyPath: '/metrics', timeoutMs: 60_000 },
    )
    children.push(supervisor)
    const nginx = await startNginx(
      apis.map((a) => new URL(a.url).host),
      { workerConnections: 8192 },
    )
    children.push(nginx)
    const w: World = { url: nginx.url, ...seeded }

    const samples: Sample[] = []
    const asks: Ask[] = []
    const ticks: Tick[] = []
    const watched = { api: apis.map((a) => a.pid), supervisor: [supervisor.pid], postgres: [await postmasterPid(db.sql)] }
    const cpu0 = Object.fromEntries(Object.entries(watched).map(([k, pids]) => [k, cpuSeconds(pids, k !== 'api')]))
    const peakRss: Record<string, number> = {}
    const started = Date.now()
    const until = started + (RAMP_S + STEADY_S) * 1000
    console.log(
      `[${mode}] ${users} users over ${ACCOUNTS} accounts, ramp ${RAMP_S} s, steady ${STEADY_S} s, think ${THINK_S} s mean; nginx ${nginx.url} -> ${apis.map((a) => a.url).join(', ')}`,
    )
    const sampler = setInterval(async () => {
      const recent = samples.filter((s) => s.at > Date.now() - 2000 && !s.cls.startsWith('POST messages'))
      const backlog = await readReadyJobs(db.sql).catch(() => ({ ready: NaN, active: NaN }))
      ticks.push({
        t: (Date.now() - started) / 1000,
        load1: loadavg()[0]!,
        depth: backlog.ready,
        active: backlog.active,
        workers: await scrapeWorkers(supervisor.url),
        rps: recent.length / 2,
        p95: summarize(recent.map((s) => s.ms)).p95,
      })
      for (const [k, pids] of Object.entries({ api: apis.map((a) => a.pid), supervisor: [supervisor.pid] }))
        peakRss[k] = Math.max(peakRss[k] ?? 0, rssOf(pids))
    }, 2000)
    const pace = { rampS: RAMP_S, thinkS: THINK_S, ttftMs: TTFT_MS }
    await Promise.all(Array.from({ length: users }, (_, i) => virtualUser(i, w, until, samples, asks, pace)))
    clearInterval(sampler)
    const wallS = (Date.now() - started) / 1000
    const cpu = Object.fromEntries(Object.entries(watched).map(([k, pids]) => [k, (cpuSeconds(pids, k !== 'api') - cpu0[k]!) / wallS]))

    // Every answer that started ends complete/stopped/failed, its stored text what was streamed.
    await Bun.sleep(3000)
    const started_ = asks.filter((a) => a.messageId)
    const stored = await db.sql<
      { id: string; status: string; content: string }[]
    >`select id, status, content from messages where id = any(${started_.map((a) => a.messageId!)})`
    const byId = new Map(stored.map((m) => [m.id, m]))
    const stuck = stored.filter((m) => m.status === 'streaming').length
    const mismatched = started_.filter((a) => a.ok && byId.get(a.messageId!)?.content !== a.streamed).length
    const lost = started_.length - stored.length + stuck + mismatched
    return {
      mode,
      users,
      machine,
      samples,
      asks,
      ticks,
      cpu,
      peakRss,
      lost,
      stuck,
      mismatched,
      wallS,
      poolerSize: bouncer?.poolSize ?? null,
    }
  } finally {
    for (const c of children.reverse()) await c.stop().catch(() => {})
  }
}

const SETUP: Setup = {
  rampS: RAMP_S,
  steadyS: STEADY_S,
  thinkS: THINK_S,
  accounts: ACCOUNTS,
  ttftMs: TTFT_MS,
  tokensPerSecond: TOKENS_PER_SECOND,
  accessTtlS: ACCESS_TTL_S,
}
const startedAll = performance.now()
const sections: string[] = []
const db = await createBenchDatabase()
try {
  const machine = await printMachine(db.sql)
  const seeded = await seedAccounts(db, ACCOUNTS)
  const runs: Run[] = []
  for (const users of USER_COUNTS)
    for (const mode of MODES) {
      const run = await runMode(mode, users, db, machine, seeded)
      runs.push(run)
      if (!process.argv.includes('--no-results'))
        await writeTimelineSvg(
          join(import.meta.dir, chartFile(run)),
          `${run.users} users, ${run.mode === 'direct' ? 'direct connections' : 'api pools through PgBouncer'} (${new Date().toISOString().slice(0, 10)}, ${machine.cores} cores)`,
          run.ticks,
          RAMP_S,
        )
      const md = report(run, SETUP)
      console.log(`\n${md}\n`)
      sections.push(md)
    }
  if (USER_COUNTS.length > 1) sections.unshift(userCounts(runs))
  updateResults(USER_COUNTS.length > 1 ? 'load: user counts' : 'load', machine, sections.join('\n\n---\n\n'), {
    durationSeconds: (performance.now() - startedAll) / 1000,
  })
} finally {
  await db.drop()
}
