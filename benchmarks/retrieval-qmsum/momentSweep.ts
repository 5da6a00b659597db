// The grid moment selection's constants were chosen from (on the "choose"
// half only): for each first relevant hybrid passage, the moment every option
// set would pick, and its error against the gold span start.
import { selectMoment, type MomentOptions } from '../../server/retrieval/selectMoment.ts'
import type { Segment } from '../../server/retrieval/types.ts'
import type { ChunkRange } from './evaluate.ts'
import { momentSample, summarizeMoments } from './momentError.ts'
import type { TurnSpan } from './qmsum.ts'

export type MomentProbe = { query: string; spans: TurnSpan[]; range: ChunkRange; segments: Segment[] }

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
