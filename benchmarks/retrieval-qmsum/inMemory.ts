// In-memory QMSum retrieval benchmark: BM25 (stand-in for Postgres full-text),
// local-embedding cosine, and their RRF fusion, each searching only the
// query's own meeting (as a collection filter would).
//
//   bun run benchmarks/retrieval-qmsum/inMemory.ts            default settings
//   bun run benchmarks/retrieval-qmsum/inMemory.ts --sweep    the tuning grid

import { cpus, totalmem } from 'node:os'
import { chunkSegments } from '../../server/retrieval/chunkSegments'
import { fuseRankings } from '../../server/retrieval/fusion'
import {
  DEFAULT_LOCAL_EMBEDDING_WEIGHTS,
  LOCAL_EMBEDDING_DIMENSIONS,
  embedLocal,
  type LocalEmbeddingWeights,
} from '../../server/retrieval/localEmbedder'
import type { ChunkOptions } from '../../server/retrieval/types'
import { createBm25Index } from './bm25'
import { chanceMetrics, evaluateRuns, type QueryRun, type RetrievalMetrics } from './evaluate'
import { loadQmsum, type QmsumMeeting } from './qmsum'

export type InMemorySetup = {
  chunk?: Partial<ChunkOptions>
  dims?: number
  weights?: LocalEmbeddingWeights
}

export type InMemoryResult = {
  chunks: number
  chance: RetrievalMetrics
  bm25: RetrievalMetrics
  vector: RetrievalMetrics
  fused: RetrievalMetrics
}

export function runInMemory(meetings: readonly QmsumMeeting[], setup: InMemorySetup = {}): InMemoryResult {
  const dims = setup.dims ?? LOCAL_EMBEDDING_DIMENSIONS
  const weights = setup.weights ?? DEFAULT_LOCAL_EMBEDDING_WEIGHTS
  const runs = { bm25: [] as QueryRun[], vector: [] as QueryRun[], fused: [] as QueryRun[] }
  let chunkCount = 0
  for (const meeting of meetings) {
    const chunks = chunkSegments(meeting.segments, setup.chunk)
    chunkCount += chunks.length
    const bm25 = createBm25Index(chunks.map((c) => c.text))
    const vectors = chunks.map((c) => embedLocal(c.text, dims, weights))
    for (const { query, spans } of meeting.queries) {
      const q = embedLocal(query, dims, weights)
      const lexical = bm25.search(query).map((h) => h.index)
      const semantic = vectors
        .map((v, index) => ({ index, score: dot(q, v) }))
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .map((h) => h.index)
      // The product's reciprocal rank fusion (same k, same tie-breaks), not a copy of it.
      const fused = fuseRankings([lexical, semantic]).map((f) => f.chunkId)
      const at = (ids: number[]) => ids.map((i) => chunks[i]!)
      runs.bm25.push({ spans, ranked: at(lexical), candidates: chunks })
      runs.vector.push({ spans, ranked: at(semantic), candidates: chunks })
      runs.fused.push({ spans, ranked: at(fused), candidates: chunks })
    }
  }
  return {
    chunks: chunkCount,
    chance: chanceMetrics(runs.bm25),
    bm25: evaluateRuns(runs.bm25),
    vector: evaluateRuns(runs.vector),
    fused: evaluateRuns(runs.fused),
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(6)

function row(label: string, m: RetrievalMetrics): string {
  return `| ${label.padEnd(34)} | ${pct(m.recallAt5)} | ${pct(m.recallAt10)} | ${m.mrrAt10.toFixed(3)} | ${pct(m.coverageAt10)} |`
}

const HEADER = `| ${'method'.padEnd(34)} | R@5 %  | R@10 % | MRR@10 | cov@10 |\n|${'-'.repeat(36)}|--------|--------|--------|--------|`

function machine(): string {
  const cpu = cpus()
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown cpu'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Bun ${Bun.version}, ${process.platform}-${process.arch}`
}

function sweep(meetings: QmsumMeeting[]) {
  const w = DEFAULT_LOCAL_EMBEDDING_WEIGHTS
  const variants: [string, InMemorySetup][] = [
    ...[256, 384, 512, 768, 1024].map((dims): [string, InMemorySetup] => [`dims ${dims}`, { dims }]),
    ['unigrams only', { weights: { ...w, bigram: 0, charGram: 0 } }],
    ['no bigrams', { weights: { ...w, bigram: 0 } }],
    ['no char n-grams', { weights: { ...w, charGram: 0 } }],
    ['char n-grams 0.4', { weights: { ...w, charGram: 0.4 } }],
    ['char n-grams 1.0', { weights: { ...w, charGram: 1 } }],
    ['bigrams 0.25', { weights: { ...w, bigram: 0.25 } }],
    ['bigrams 1.0', { weights: { ...w, bigram: 1 } }],
    ['chunks 100-200 (150)', { chunk: { minWords: 100, targetWords: 150, maxWords: 200 } }],
    ['chunks 150-300 (220)', { chunk: { minWords: 150, targetWords: 220, maxWords: 300 } }],
    ['chunks 300-600 (450)', { chunk: { minWords: 300, targetWords: 450, maxWords: 600 } }],
    ['overlap 0', { chunk: { overlapRatio: 0 } }],
    ['overlap 0.25', { chunk: { overlapRatio: 0.25 } }],
  ]
  console.log(`| ${'variant (vector / fused)'.padEnd(24)} | chunks | vec R@5 | vec MRR | vec cov | fus R@5 | fus MRR | fus cov |`)
  for (const [label, setup] of [['default', {}] as [string, InMemorySetup], ...variants]) {
    const r = runInMemory(meetings, setup)
    const f = (x: number) => x.toFixed(3).padStart(7)
    console.log(
      `| ${label.padEnd(24)} | ${String(r.chunks).padStart(6)} | ${f(r.vector.recallAt5)} | ${f(r.vector.mrrAt10)} | ${f(r.vector.coverageAt10)} | ${f(r.fused.recallAt5)} | ${f(r.fused.mrrAt10)} | ${f(r.fused.coverageAt10)} |`,
    )
  }
}

if (import.meta.main) {
  const meetings = loadQmsum()
  const queries = meetings.reduce((n, m) => n + m.queries.length, 0)
  console.log(`QMSum test: ${meetings.length} meetings, ${queries} specific queries`)
  console.log(`machine: ${machine()}`)
  if (process.argv.includes('--sweep')) {
    sweep(meetings)
  } else {
    const started = performance.now()
    const r = runInMemory(meetings)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(`chunks: ${r.chunks} (defaults), embedder local-hash-v1 at ${LOCAL_EMBEDDING_DIMENSIONS} dims, ${seconds} s\n`)
    console.log(HEADER)
    console.log(row('random order (exact expectation)', r.chance))
    console.log(row('BM25 (full-text stand-in)', r.bm25))
    console.log(row('local embedding, cosine', r.vector))
    console.log(row('RRF fusion (k=60)', r.fused))
  }
}
