// The grid moment selection's constants were chosen from (on the "choose"
// half only): for each first relevant hybrid passage, the moment every option
// set would pick, and its error against the gold span start.
import { selectMoment, type MomentOptions } from '../../server/retrieval/selectMoment.ts'
import type { Segment } from '../../server/retrieval/types.ts'
import type { ChunkRange } from './evaluate.ts'
import { momentSample, summarizeMoments } from './momentError.ts'
import type { TurnSpan } from './qmsum.ts'

export type MomentProbe = { query: string; spans: TurnSpan[]; range: ChunkRange; segments: Segment[] }

const GRID: Partial<MomentOptions>[] = [0, 0.5, 1].flatMap((vectorWeight) =>
  [1, 0.9, 0.8, 0.7, 0.6, 0.5].map((leadIn) => ({ vectorWeight, leadIn })),
)

const turnsOf = (segments: Segment[]) => ({ startMs: segments.map((s) => s.startMs!), endMs: segments.map((s) => s.endMs!) })

export function sweepMoments(probes: readonly MomentProbe[]): string {
  const lines = ['| vector weight | lead-in | moment → span start, s (median / p90) | outside the span, s |', '|---|---|---|---|']
  const start = probes.map((p) =>
    momentSample(p.spans, [{ ...p.range, startMs: p.segments[p.range.segmentStart]!.startMs, momentStartMs: null }], turnsOf(p.segments)),
  )
  const s0 = summarizeMoments(start)
  lines.push(
    `| (passage start) | | ${s0.passage.median.toFixed(1)} / ${s0.passage.p90.toFixed(1)} | ${s0.outside.median.toFixed(1)} / ${s0.outside.p90.toFixed(1)} |`,
  )
  for (const options of GRID) {
    const samples = probes.map((p) => {
      const cues = p.segments.slice(p.range.segmentStart, p.range.segmentEnd + 1)
      const moment = selectMoment(p.query, cues, options)
      return momentSample(p.spans, [{ ...p.range, startMs: cues[0]!.startMs, momentStartMs: moment?.startMs ?? null }], turnsOf(p.segments))
    })
    const s = summarizeMoments(samples)
    lines.push(
      `| ${options.vectorWeight} | ${options.leadIn} | ${s.moment.median.toFixed(1)} / ${s.moment.p90.toFixed(1)} | ${s.outside.median.toFixed(1)} / ${s.outside.p90.toFixed(1)} |`,
    )
  }
  return lines.join('\n')
}
