// Retrieval metrics for QMSum, independent of how the ranking was produced
// (in-memory here, Postgres full-text + pgvector in the product run).
//
// A retrieved chunk is relevant when its cue range overlaps any gold span of
// the query. recall@k is the share of queries with at least one relevant chunk
// in the top k (the answer is reachable from what the LLM is shown); MRR@10 is
// the mean reciprocal rank of the first relevant chunk, 0 past rank 10;
// coverage@10 is the share of gold turns inside the top 10 chunks, which, unlike
// recall@k, does not reward a chunker for simply making bigger chunks.

import type { TurnSpan } from './qmsum'

export type ChunkRange = { segmentStart: number; segmentEnd: number }

export type QueryRun = {
  spans: TurnSpan[]
  /** Best first; may be shorter than `candidates` (full-text search returns only matches). */
  ranked: ChunkRange[]
  /** Every chunk the search could have returned: the query's own meeting. */
  candidates: ChunkRange[]
}

export type RetrievalMetrics = {
  queries: number
  recallAt5: number
  recallAt10: number
  mrrAt10: number
  coverageAt10: number
}

/**
 * Stands for a chunk of another meeting when one search spans several (turn
 * numbers are per meeting, so its own range would be meaningless): never relevant.
 */
export const OTHER_MEETING: ChunkRange = Object.freeze({ segmentStart: -1, segmentEnd: -1 })

export function isRelevant(chunk: ChunkRange, spans: readonly TurnSpan[]): boolean {
  return spans.some(([s, e]) => chunk.segmentStart <= e && s <= chunk.segmentEnd)
}

export function evaluateRuns(runs: readonly QueryRun[]): RetrievalMetrics {
  return average(runs, (run) => {
    const first = run.ranked.findIndex((c) => isRelevant(c, run.spans))
    const gold = goldTurns(run.spans)
    const top = run.ranked.slice(0, 10)
    let covered = 0
    for (const t of gold) if (top.some((c) => c.segmentStart <= t && t <= c.segmentEnd)) covered++
    return {
      recallAt5: first !== -1 && first < 5 ? 1 : 0,
      recallAt10: first !== -1 && first < 10 ? 1 : 0,
      mrrAt10: first !== -1 && first < 10 ? 1 / (first + 1) : 0,
      coverageAt10: covered / gold.size,
    }
  })
}

/** What a ranking in random order would score on average, computed exactly. */
export function chanceMetrics(runs: readonly QueryRun[]): RetrievalMetrics {
  return average(runs, (run) => {
    const n = run.candidates.length
    const relevant = run.candidates.filter((c) => isRelevant(c, run.spans)).length
    let mrr = 0
    for (let r = 1; r <= Math.min(10, n); r++) mrr += firstRelevantAt(r, n, relevant) / r
    const gold = goldTurns(run.spans)
    let coverage = 0
    for (const t of gold) {
      const holders = run.candidates.filter((c) => c.segmentStart <= t && t <= c.segmentEnd).length
      coverage += 1 - noneDrawn(n, holders, 10)
    }
    return {
      recallAt5: 1 - noneDrawn(n, relevant, 5),
      recallAt10: 1 - noneDrawn(n, relevant, 10),
      mrrAt10: mrr,
      coverageAt10: coverage / gold.size,
    }
  })
}

function goldTurns(spans: readonly TurnSpan[]): Set<number> {
  const turns = new Set<number>()
  for (const [s, e] of spans) for (let t = s; t <= e; t++) turns.add(t)
  return turns
}

/** Probability that k random draws without replacement from n miss all `good` items. */
function noneDrawn(n: number, good: number, k: number): number {
  let p = 1
  for (let j = 0; j < Math.min(k, n); j++) p *= Math.max(0, n - good - j) / (n - j)
  return p
}

/** Probability that, in random order, the first relevant item sits at rank r. */
function firstRelevantAt(r: number, n: number, good: number): number {
  return noneDrawn(n, good, r - 1) * (good / (n - r + 1))
}

function average(runs: readonly QueryRun[], score: (run: QueryRun) => Omit<RetrievalMetrics, 'queries'>): RetrievalMetrics {
  const total = { queries: runs.length, recallAt5: 0, recallAt10: 0, mrrAt10: 0, coverageAt10: 0 }
  for (const run of runs) {
    const s = score(run)
    total.recallAt5 += s.recallAt5
    total.recallAt10 += s.recallAt10
    total.mrrAt10 += s.mrrAt10
    total.coverageAt10 += s.coverageAt10
  }
  const n = Math.max(1, runs.length)
  return {
    queries: runs.length,
    recallAt5: total.recallAt5 / n,
    recallAt10: total.recallAt10 / n,
    mrrAt10: total.mrrAt10 / n,
    coverageAt10: total.coverageAt10 / n,
  }
}
