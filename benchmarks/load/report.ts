// What a load run measured, as the markdown RESULTS.md gets: the SLO verdicts,
// latency per endpoint class, answers, CPU and memory, the timeline, and for a
// series of user counts which of them meet every SLO. loadTest.ts runs, this
// reports.
import type { Machine } from '../machine.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'

const SLO = { p95Ms: 500, errorRate: 0.001, ttftP95Ms: 1000 }

export type Sample = { cls: string; ms: number; ok: boolean; status: number; at: number }
export type Ask = {
  messageId: string | null
  streamed: string
  resumed: boolean
  ttftMs: number | null
  tokensPerS: number | null
  ok: boolean
  error: string | null
}
export type Tick = { t: number; load1: number; depth: number; active: number; workers: number; rps: number; p95: number }

export type Run = {
  mode: 'direct' | 'pgbouncer'
  users: number
  machine: Machine
  samples: Sample[]
  asks: Ask[]
  ticks: Tick[]
  /** Share of one core over the run, per process group. */
  cpu: Record<string, number>
  /** MiB. */
  peakRss: Record<string, number>
  lost: number
  stuck: number
  mismatched: number
  wallS: number
  poolerSize: number | null
}

/** How the run was driven, for its description. */
export type Setup = {
  rampS: number
  steadyS: number
  thinkS: number
  accounts: number
  ttftMs: number
  tokensPerSecond: number
  accessTtlS: number
}

/** The four SLO figures of a run, each with whether it is met, and whether all are. */
function sloFigures(r: Run) {
  const apiP95 = summarize(r.samples.filter((s) => !s.cls.startsWith('GET stream')).map((s) => s.ms)).p95
  const errors = r.samples.filter((s) => !s.ok).length
  const errorRate = errors / Math.max(1, r.samples.length)
  const ttftP95 = summarize(r.asks.filter((a) => a.ok && a.ttftMs !== null).map((a) => a.ttftMs!)).p95
  const met = { apiP95: apiP95 < SLO.p95Ms, errorRate: errorRate < SLO.errorRate, ttftP95: ttftP95 < SLO.ttftP95Ms, lost: r.lost === 0 }
  return { apiP95, errors, errorRate, ttftP95, met, all: Object.values(met).every(Boolean) }
}

export function report(r: Run, setup: Setup): string {
  const classes = [...new Set(r.samples.map((s) => s.cls))].sort()
  const steadyFrom = setup.rampS
  const rows = classes.map((cls) => {
    const all = r.samples.filter((s) => s.cls === cls)
    const s = summarize(all.map((x) => x.ms))
    const errors = all.filter((x) => !x.ok).length
    return [
      cls,
      all.length,
      fmt(all.length / r.wallS, 1),
      fmt(s.p50, 0),
      fmt(s.p95, 0),
      fmt(s.p99, 0),
      `${errors} (${fmt((100 * errors) / Math.max(1, all.length), 2)} %)`,
    ]
  })
  const { apiP95, errors, errorRate, met } = sloFigures(r)
  const okAsks = r.asks.filter((a) => a.ok)
  const ttft = summarize(okAsks.map((a) => a.ttftMs!).filter((x) => x !== null))
  const tps = summarize(okAsks.map((a) => a.tokensPerS ?? NaN).filter(Number.isFinite))
  const failedAsks = r.asks.filter((a) => !a.ok)
  const load = r.ticks.map((t) => t.load1)
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**')
  const slo = markdownTable(
    ['SLO', 'target', 'measured', ''],
    [
      ['API requests p95 (all classes; answers to their headers)', `< ${SLO.p95Ms} ms`, `${fmt(apiP95, 0)} ms`, verdict(met.apiP95)],
      [
        'error rate (status ≥ 400 or no response)',
        `< ${SLO.errorRate * 100} %`,
        `${fmt(errorRate * 100, 3)} % (${errors} of ${r.samples.length})`,
        verdict(met.errorRate),
      ],
      ['server-added TTFT p95', `< ${SLO.ttftP95Ms} ms`, `${fmt(ttft.p95, 0)} ms`, verdict(met.ttftP95)],
      [
        'lost answers (missing, stuck streaming, stored ≠ streamed)',
        '0',
        `${r.lost} (stuck ${r.stuck}, mismatched ${r.mismatched})`,
        verdict(met.lost),
      ],
    ],
  )
  const series = r.ticks.filter((_, i) => i % Math.max(1, Math.floor(r.ticks.length / 12)) === 0)
  const timeline = markdownTable(
    ['t s', 'req/s (2 s)', 'p95 ms (2 s)', 'ready jobs', 'active jobs', 'workers', 'load avg 1 min'],
    series.map((t) => [fmt(t.t, 0), fmt(t.rps, 0), fmt(t.p95, 0), t.depth, t.active, t.workers, fmt(t.load1, 1)]),
  )
  const cpu = Object.entries(r.cpu)
    .map(([k, v]) => `${k} ${fmt(v * 100, 0)} %`)
    .join(', ')
  return [
    `**Mode: ${r.mode === 'direct' ? 'direct connections' : `api query pools through PgBouncer (transaction mode, ${r.poolerSize} server connections)`}.** ${r.users} virtual users on ${setup.accounts} accounts (access tokens live ${setup.accessTtlS} s; each account renews its own before it expires), ramp ${setup.rampS} s then ${setup.steadyS} s steady (${fmt(r.wallS, 0)} s in all), think time exponential with mean ${setup.thinkS} s; nginx → 2 api instances (DB_POOL_MAX 10 each) → Postgres; supervisor WORKERS 1..3; Anthropic emulator TTFT ${setup.ttftMs} ms, ${setup.tokensPerSecond} tokens/s.`,
    '',
    slo,
    '',
    markdownTable(['endpoint class', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'], rows),
    '',
    `Answers: ${r.asks.length} asked, ${okAsks.length} read to \`done\` (${r.asks.filter((a) => a.resumed).length} of them resumed mid-answer from Last-Event-ID), ${failedAsks.length} failed${failedAsks.length ? ` (${[...new Set(failedAsks.map((a) => a.error))].slice(0, 4).join('; ')})` : ''}. Server-added TTFT p50 ${fmt(ttft.p50, 0)} / p95 ${fmt(ttft.p95, 0)} / p99 ${fmt(ttft.p99, 0)} ms; tokens/s per stream p50 ${fmt(tps.p50, 1)} (emulator paces ${setup.tokensPerSecond}).`,
    '',
    `CPU (share of one core over the run): ${cpu}; peak RSS: api ${fmt(r.peakRss.api ?? NaN, 0)} MiB (both), supervisor + workers ${fmt(r.peakRss.supervisor ?? NaN, 0)} MiB (supervisor only). **Machine load average (1 min) during the run: min ${fmt(Math.min(...load), 1)}, median ${fmt(summarize(load).p50, 1)}, max ${fmt(Math.max(...load), 1)} on ${r.machine.cores} cores** — the load generator (one Bun process), the emulator, nginx, the workers and Postgres share these cores with the apis; a load average well above the core count means other work shared them too, and the latencies are then an upper bound for this topology.`,
    '',
    timeline,
    '',
    `Steady-state begins at t = ${steadyFrom} s. The whole timeline as a chart: [${chartFile(r)}](load/${chartFile(r)}).`,
  ].join('\n')
}

/** The run's timeline chart, relative to this folder (RESULTS.md links it as load/…). */
export const chartFile = (r: Run) => `charts/${r.mode}-${r.users}.svg`

/** Which user counts meet every SLO, per mode: the search for the largest load this box carries. */
export function userCounts(runs: Run[]): string {
  const mark = (ok: boolean, text: string) => (ok ? text : `**${text}**`)
  const table = markdownTable(
    [
      'users',
      'mode',
      `API p95 (< ${SLO.p95Ms} ms)`,
      `errors (< ${SLO.errorRate * 100} %)`,
      `TTFT p95 (< ${SLO.ttftP95Ms} ms)`,
      'lost (0)',
      'every SLO',
    ],
    runs.map((r) => {
      const f = sloFigures(r)
      return [
        r.users,
        r.mode,
        mark(f.met.apiP95, `${fmt(f.apiP95, 0)} ms`),
        mark(f.met.errorRate, `${fmt(f.errorRate * 100, 3)} %`),
        mark(f.met.ttftP95, `${fmt(f.ttftP95, 0)} ms`),
        mark(f.met.lost, String(r.lost)),
        f.all ? 'met' : 'missed',
      ]
    }),
  )
  const best = (mode: string) => Math.max(0, ...runs.filter((r) => r.mode === mode && sloFigures(r).all).map((r) => r.users))
  const modes = [...new Set(runs.map((r) => r.mode))]
  return [
    `**Largest user count run that meets every SLO: ${modes.map((m) => `${m} ${best(m) || 'none of those run'}`).join(', ')}.** Each row is a separate run on fresh processes (same topology, mix and think time as the 1,000-user run; figures missed in bold); the details of each run follow.`,
    '',
    table,
  ].join('\n')
}
