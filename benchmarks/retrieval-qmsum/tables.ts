// The Markdown tables the Postgres QMSum benchmark prints (and RESULTS.md keeps).
import type { FusionMethod } from '../../server/retrieval/fusion.ts'
import { chanceMetrics, evaluateRuns, type QueryRun, type RetrievalMetrics } from './evaluate.ts'
import { summarizeMoments, type MomentSample } from './momentError.ts'

// `hybrid, reranked` runs only with a reranker (postgres.ts --rerank-url).
export const METHODS = ['full text', 'full text, language unknown', 'vector', 'hybrid', 'hybrid, reranked'] as const
export type Method = (typeof METHODS)[number]

export type MethodRuns = {
  runs: Record<Method, QueryRun[]>
  latencies: Record<Method, number[]>
  moments: Record<Method, (MomentSample | null)[]>
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(6)
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
const ms = (x: number | undefined) => (x === undefined ? '     –' : x.toFixed(1).padStart(6))
const sec = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)}`)

function row(label: string, m: RetrievalMetrics, lat?: number[], moments?: (MomentSample | null)[]): string {
  const sorted = lat ? [...lat].sort((a, b) => a - b) : null
  const mo = moments ? summarizeMoments(moments) : null
  const moment = mo
    ? `${sec(mo.passage.median)} / ${sec(mo.passage.p90)} | ${sec(mo.moment.median)} / ${sec(mo.moment.p90)} | ${sec(mo.outside.median)} / ${sec(mo.outside.p90)}`
    : '– | – | –'
  return `| ${label.padEnd(32)} | ${pct(m.recallAt5)} | ${pct(m.recallAt10)} | ${m.mrrAt10.toFixed(3)} | ${pct(m.coverageAt10)} | ${ms(sorted ? percentile(sorted, 0.5) : undefined)} | ${ms(sorted ? percentile(sorted, 0.95) : undefined)} | ${moment} |`
}

const LABELS: Record<Method, (embedder: string) => string> = {
  'full text': () => 'Postgres full text (english)',
  'full text, language unknown': () => 'full text, language unknown',
  vector: (e) => `pgvector, ${e}`.slice(0, 32),
  hybrid: () => 'hybrid (product fusion)',
  'hybrid, reranked': () => 'hybrid, reranked (RERANK_*)',
}

/** Recall, MRR, coverage, latency and moment error (momentError.ts). */
export function methodTable(run: MethodRuns, embedderLabel: string): string {
  return [
    `| ${'method'.padEnd(32)} | R@5 %  | R@10 % | MRR@10 | cov@10 | p50 ms | p95 ms | passage start → span start, s (median / p90) | moment → span start, s | moment outside the span, s |`,
    `|${'-'.repeat(34)}|--------|--------|--------|--------|--------|--------|---|---|---|`,
    row('random order (exact expectation)', chanceMetrics(run.runs.hybrid)),
    ...METHODS.filter((m) => m !== 'hybrid, reranked' || run.runs[m].length > 0).map((m) =>
      row(LABELS[m](embedderLabel), evaluateRuns(run.runs[m]), run.latencies[m], run.moments[m]),
    ),
  ].join('\n')
}

/** Each fusion's R@5 / R@10 / MRR@10, and its margin over the better single method on R@10 and MRR@10. */
export function fusionTable(fusions: Record<FusionMethod, QueryRun[]>, runs: Record<Method, QueryRun[]>): string {
  const text = evaluateRuns(runs['full text'])
  const vector = evaluateRuns(runs.vector)
  const lines = [
    '| fusion | R@5 % | R@10 % | MRR@10 | R@10 margin (points) | MRR@10 margin |',
    '|---|---|---|---|---|---|',
    `| (full text alone) | ${pct(text.recallAt5)} | ${pct(text.recallAt10)} | ${text.mrrAt10.toFixed(3)} | | |`,
    `| (vectors alone) | ${pct(vector.recallAt5)} | ${pct(vector.recallAt10)} | ${vector.mrrAt10.toFixed(3)} | | |`,
  ]
  for (const [name, r] of Object.entries(fusions)) {
    const m = evaluateRuns(r)
    const r10 = (m.recallAt10 - Math.max(text.recallAt10, vector.recallAt10)) * 100
    const mrr = m.mrrAt10 - Math.max(text.mrrAt10, vector.mrrAt10)
    lines.push(
      `| \`${name}\` | ${pct(m.recallAt5)} | ${pct(m.recallAt10)} | ${m.mrrAt10.toFixed(3)} | ${r10 >= 0 ? '+' : ''}${r10.toFixed(1)} | ${mrr >= 0 ? '+' : ''}${mrr.toFixed(3)} |`,
    )
  }
  return lines.join('\n')
}
