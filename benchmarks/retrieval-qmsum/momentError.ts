// Moment error: how far from the answer a citation's link opens. For the
// first relevant passage of a ranking (the one a reader would open), the
// seconds between where its link opens and the start of the gold span it
// overlaps (the nearest start, when it overlaps several). "passage" is the
// passage start (how links opened before moments); "moment" is the moment
// search picked inside the passage. Gold spans are long (minutes) and a
// relevant passage often overlaps one in its middle, where no moment of that
// passage can be near the span start; so "outside" also says how far the
// moment lies outside the gold span (0 when inside it).
import { isRelevant, type ChunkRange } from './evaluate.ts'
import type { TurnSpan } from './qmsum.ts'

export type MomentHit = ChunkRange & { startMs: number | null; momentStartMs: number | null }
export type MomentSample = { passageSeconds: number; momentSeconds: number; outsideSeconds: number }

/** null when no relevant passage is in the top 10 (recall already counts those). */
export function momentSample(
  spans: readonly TurnSpan[],
  hits: readonly MomentHit[],
  turns: { startMs: number[]; endMs: number[] },
): MomentSample | null {
  const hit = hits.slice(0, 10).find((h) => isRelevant(h, spans))
  if (!hit || hit.startMs === null) return null
  const overlapping = spans.filter(([s, e]) => hit.segmentStart <= e && s <= hit.segmentEnd)
  const error = (ms: number) => Math.min(...overlapping.map(([s]) => Math.abs(ms - turns.startMs[s]!))) / 1000
  const moment = hit.momentStartMs ?? hit.startMs
  const outside = Math.min(...overlapping.map(([s, e]) => Math.max(0, turns.startMs[s]! - moment, moment - turns.endMs[e]!))) / 1000
  return { passageSeconds: error(hit.startMs), momentSeconds: error(moment), outsideSeconds: outside }
}

type Stats = { median: number; p90: number }
export type MomentSummary = { queries: number; passage: Stats; moment: Stats; outside: Stats }

export function summarizeMoments(samples: readonly (MomentSample | null)[]): MomentSummary {
  const found = samples.filter((s) => s !== null)
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b)
    const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN)
    return { median: at(0.5), p90: at(0.9) }
  }
  return {
    queries: found.length,
    passage: stats(found.map((s) => s.passageSeconds)),
    moment: stats(found.map((s) => s.momentSeconds)),
    outside: stats(found.map((s) => s.outsideSeconds)),
  }
}
