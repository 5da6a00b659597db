// A plain Okapi BM25 over one meeting's chunks: the in-memory stand-in for
// Postgres full-text search. Like the 'english' text search configuration it
// drops stopwords and stems; unlike ts_rank it uses IDF, so if anything it
// flatters the full-text side.

import { stemmer } from 'stemmer'
import { normalizeText } from '../../server/retrieval/normalizeText'
import { STOPWORDS } from '../../server/retrieval/stopwords'

const K1 = 1.2
const B = 0.75
const WORD = /[\p{L}\p{N}]+/gu

export function bm25Terms(text: string): string[] {
  const terms: string[] = []
  for (const [w] of normalizeText(text).matchAll(WORD)) if (!STOPWORDS.has(w)) terms.push(stemmer(w))
  return terms
}

export type Bm25Index = { search(query: string): { index: number; score: number }[] }

export function createBm25Index(docs: readonly string[]): Bm25Index {
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>()
    for (const t of bm25Terms(d)) tf.set(t, (tf.get(t) ?? 0) + 1)
    return tf
  })
  const lengths = docs.map((_, i) => [...tfs[i]!.values()].reduce((a, b) => a + b, 0))
  const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length)
  const df = new Map<string, number>()
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1)

  return {
    search(query) {
      const terms = new Set(bm25Terms(query))
      const hits: { index: number; score: number }[] = []
      tfs.forEach((tf, index) => {
        let score = 0
        for (const t of terms) {
          const f = tf.get(t)
          if (!f) continue
          const idf = Math.log(1 + (docs.length - df.get(t)! + 0.5) / (df.get(t)! + 0.5))
          score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * lengths[index]!) / avgLength))
        }
        // Full-text search returns only matching rows; so does this.
        if (score > 0) hits.push({ index, score })
      })
      return hits.sort((a, b) => b.score - a.score || a.index - b.index)
    },
  }
}
