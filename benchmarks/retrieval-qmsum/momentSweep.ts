// The grid moment selection's constants were chosen from (on the "choose"
// half only): for each first relevant hybrid passage, the moment every option
// set would pick, and its error against the gold span start.
import { DEFAULT_MOMENT_OPTIONS, groupCues, selectMoment, type MomentOptions } from '../../server/retrieval/selectMoment.ts'
import type { Segment } from '../../server/retrieval/types.ts'
import type { ChunkRange } from './evaluate.ts'
import { momentSample, summarizeMoments } from './momentError.ts'
import type { TurnSpan } from './qmsum.ts'

/** `found`: the passages of the same meeting in the top 10 (adjacent ones tell where a discussion started). */
export type MomentProbe = { query: string; spans: TurnSpan[]; range: ChunkRange; segments: Segment[]; found?: ChunkRange[] }

const GRID: readonly Partial<MomentOptions>[] = [0, 0.5, 1].flatMap((vectorWeight) =>
  [1, 0.9, 0.8, 0.7, 0.6, 0.5].map((leadIn) => ({ vectorWeight, leadIn })),
)

/**
 * The two settings the held-out comparison weighs (decided on the choose half
 * beforehand, README "Moment selection"): lexical score alone, against lexical
 * plus half the local embedder's cosine.
 */
export const MOMENT_CHOICES: readonly Partial<MomentOptions>[] = [
  { vectorWeight: 0, leadIn: 0.6 },
  { vectorWeight: 0.5, leadIn: 0.6 },
]

const turnsOf = (segments: Segment[]) => ({ startMs: segments.map((s) => s.startMs!), endMs: segments.map((s) => s.endMs!) })

export function sweepMoments(probes: readonly MomentProbe[], grid: readonly Partial<MomentOptions>[] = GRID): string {
  const lines = [
    `| vector weight | lead-in | moment → span start, s (median / p90) | outside the span, s | µs per passage |`,
    '|---|---|---|---|---|',
  ]
  const start = probes.map((p) =>
    momentSample(p.spans, [{ ...p.range, startMs: p.segments[p.range.segmentStart]!.startMs, momentStartMs: null }], turnsOf(p.segments)),
  )
  const s0 = summarizeMoments(start)
  lines.push(
    `| (passage start) | | ${s0.passage.median.toFixed(1)} / ${s0.passage.p90.toFixed(1)} | ${s0.outside.median.toFixed(1)} / ${s0.outside.p90.toFixed(1)} | |`,
  )
  for (const options of grid) {
    let busy = 0
    const samples = probes.map((p) => {
      const cues = p.segments.slice(p.range.segmentStart, p.range.segmentEnd + 1)
      const t0 = performance.now()
      const moment = selectMoment(p.query, cues, options)
      busy += performance.now() - t0
      return momentSample(p.spans, [{ ...p.range, startMs: cues[0]!.startMs, momentStartMs: moment?.startMs ?? null }], turnsOf(p.segments))
    })
    const s = summarizeMoments(samples)
    lines.push(
      `| ${options.vectorWeight} | ${options.leadIn} | ${s.moment.median.toFixed(1)} / ${s.moment.p90.toFixed(1)} | ${s.outside.median.toFixed(1)} / ${s.outside.p90.toFixed(1)} | ${((busy * 1000) / Math.max(1, probes.length)).toFixed(0)} |`,
    )
  }
  return lines.join('\n')
}

type Stats = { median: number; p90: number }
function stats(xs: readonly number[]): Stats {
  const sorted = [...xs].sort((a, b) => a - b)
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN)
  return { median: at(0.5), p90: at(0.9) }
}
const fmt = (s: Stats) => `${s.median.toFixed(1)} / ${s.p90.toFixed(1)}`

/** Seconds from `ms` to the nearest start of a gold span the passage overlaps. */
function errorOf(p: MomentProbe, ms: number): number {
  const overlapping = p.spans.filter(([s, e]) => p.range.segmentStart <= e && s <= p.range.segmentEnd)
  return Math.min(...overlapping.map(([s]) => Math.abs(ms - p.segments[s]!.startMs!))) / 1000
}

/**
 * Where the moment error comes from: probes whose gold span starts inside the
 * passage (a moment can reach it) against those whose span started before it
 * (the passage is the middle of a longer answer: no moment of it can be near),
 * with the best any stretch of the passage could do, and what looking back
 * before the passage start (the previous cues, up to `lookBackMs`) would do.
 */
export function momentErrorSources(probes: readonly MomentProbe[], lookBacks: readonly number[] = [0, 30_000, 60_000, 120_000]): string {
  const lines = [
    '| gold span starts | probes | passage start → span start, s | product moment, s | best stretch of the passage (oracle), s | ' +
      lookBacks.map((l) => `look back ${l / 1000} s`).join(' | ') +
      ' | moved to an earlier found passage | run start | run: moment in its first passage | span start in another top-10 passage |',
    `|---|---|---|---|---|${lookBacks.map(() => '---|').join('')}---|---|---|---|`,
  ]
  const classes = { 'inside the passage': [] as MomentProbe[], 'before the passage': [] as MomentProbe[] }
  for (const p of probes) {
    const inside = p.spans.some(([s, e]) => p.range.segmentStart <= e && s <= p.range.segmentEnd && s >= p.range.segmentStart)
    classes[inside ? 'inside the passage' : 'before the passage'].push(p)
  }
  for (const [name, list] of [...Object.entries(classes), ['all', probes] as const]) {
    const passage = list.map((p) => errorOf(p, p.segments[p.range.segmentStart]!.startMs!))
    const cuesOf = (p: MomentProbe) => p.segments.slice(p.range.segmentStart, p.range.segmentEnd + 1)
    const product = list.map((p) => errorOf(p, selectMoment(p.query, cuesOf(p))?.startMs ?? cuesOf(p)[0]!.startMs!))
    const oracle = list.map((p) => {
      const groups = groupCues(cuesOf(p), DEFAULT_MOMENT_OPTIONS.groupMs)
      return Math.min(...groups.map((g) => errorOf(p, g.startMs)))
    })
    const looks = lookBacks.map((lookBack) =>
      list.map((p) => {
        const from = p.segments[p.range.segmentStart]!.startMs! - lookBack
        let first = p.range.segmentStart
        while (first > 0 && p.segments[first - 1]!.startMs! >= from) first--
        const cues = p.segments.slice(first, p.range.segmentEnd + 1)
        return errorOf(p, selectMoment(p.query, cues)?.startMs ?? cues[0]!.startMs!)
      }),
    )
    // The run of found passages that ends at this one (each the one before the next): open in the earliest.
    const runStart = (p: MomentProbe) => {
      let at = p.range
      for (;;) {
        const before = (p.found ?? []).find((r) => r.segmentStart < at.segmentStart && r.segmentEnd >= at.segmentStart - 1)
        if (!before) return at
        at = before
      }
    }
    const runs = list.map((p) => {
      const first = runStart(p)
      const cues = p.segments.slice(first.segmentStart, first.segmentEnd + 1)
      return errorOf(p, first === p.range ? (selectMoment(p.query, cues)?.startMs ?? cues[0]!.startMs!) : cues[0]!.startMs!)
    })
    const runsMoment = list.map((p) => {
      const first = runStart(p)
      const cues = p.segments.slice(first.segmentStart, first.segmentEnd + 1)
      return errorOf(p, selectMoment(p.query, cues)?.startMs ?? cues[0]!.startMs!)
    })
    const moved = list.filter((p) => runStart(p) !== p.range).length
    // The top 10 also holds the passage where the gold span starts (a better ranking would open there).
    const elsewhere = list.filter((p) =>
      (p.found ?? []).some((r) => r !== p.range && p.spans.some(([s]) => r.segmentStart <= s && s <= r.segmentEnd)),
    ).length
    lines.push(
      `| ${name} | ${list.length} | ${fmt(stats(passage))} | ${fmt(stats(product))} | ${fmt(stats(oracle))} | ${looks.map((l) => fmt(stats(l))).join(' | ')} | ${moved} | ${fmt(stats(runs))} | ${fmt(stats(runsMoment))} | ${elsewhere} |`,
    )
  }
  return lines.join('\n')
}

/** The product's rule with other stretch lengths and lead-ins, on the probes whose gold span starts inside the passage (where a moment can reach it). */
export function stretchSweep(probes: readonly MomentProbe[]): string {
  const inside = probes.filter((p) =>
    p.spans.some(([s, e]) => p.range.segmentStart <= e && s <= p.range.segmentEnd && s >= p.range.segmentStart),
  )
  const lines = ['| stretch ≤ s | lead-in | span inside: moment → span start, s | all probes, s |', '|---|---|---|---|']
  for (const groupMs of [10_000, 15_000, 20_000, 30_000])
    for (const leadIn of [0.4, 0.6, 0.8]) {
      const err = (list: readonly MomentProbe[]) =>
        fmt(
          stats(
            list.map((p) => {
              const cues = p.segments.slice(p.range.segmentStart, p.range.segmentEnd + 1)
              return errorOf(p, selectMoment(p.query, cues, { groupMs, leadIn })?.startMs ?? cues[0]!.startMs!)
            }),
          ),
        )
      lines.push(`| ${groupMs / 1000} | ${leadIn} | ${err(inside)} | ${err(probes)} |`)
    }
  return lines.join('\n')
}
