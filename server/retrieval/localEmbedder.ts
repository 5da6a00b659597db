// The default embedder when no embedding endpoint is configured: offline,
// deterministic feature hashing. It knows no meaning, only shared words and
// word pieces, but it needs no model download, costs microseconds, and gives
// the vector half of hybrid search something better than chance to fuse.
//
// Features (each family hashed into the same space, L2-normalised on its own,
// then mixed with fixed weights so a long word's many n-grams cannot drown
// out its one unigram):
//   - word unigrams, Porter-stemmed for Latin script (query "designs" meets "design")
//   - word bigrams of neighbouring content words ("remote control")
//   - character 3..5-grams inside each word, which catch inflections in any language
//   - CJK runs (no spaces): character unigrams and bigrams
// Stopwords are skipped entirely; term counts are damped with 1 + ln(tf).

import { stemWord } from './stemWord.ts'
import { combineHashes, featureHash } from './featureHash'
import { normalizeText } from './normalizeText'
import { STOPWORDS } from './stopwords'
import type { EmbeddingProvider } from './types'

// Chosen on the QMSum benchmark (benchmarks/retrieval-qmsum): 1024 beat 256-768
// by a few points of recall@10 (fewer hash collisions); pgvector's HNSW takes up to 2000.
export const LOCAL_EMBEDDING_DIMENSIONS = 1024

export type LocalEmbeddingWeights = {
  unigram: number
  bigram: number
  charGram: number
  cjk: number
}

// Also from the QMSum sweep; differences between nearby weights are within noise.
export const DEFAULT_LOCAL_EMBEDDING_WEIGHTS: Readonly<LocalEmbeddingWeights> = {
  unigram: 1,
  bigram: 0.35,
  charGram: 0.5,
  cjk: 1,
}

// Feature families, kept in the two low bits of each counted key.
const UNIGRAM = 0
const BIGRAM = 1
const CHARGRAM = 2
const CJK = 3
const SEEDS = [0x2f1c0a51, 0x6b43a9b5, 0x1b873593, 0x5bd1e995] as const

const WORD = /[\p{L}\p{N}\p{M}]+/gu
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+/gu
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
const LATIN_ONLY = /^[a-z]+$/

/**
 * Embeds one text. Text with no content words (empty, only stopwords or
 * punctuation) gets the zero vector: callers must not store it for cosine
 * search, where its distance is undefined.
 */
export function embedLocal(
  text: string,
  dims: number = LOCAL_EMBEDDING_DIMENSIONS,
  weights: LocalEmbeddingWeights = DEFAULT_LOCAL_EMBEDDING_WEIGHTS,
): Float32Array {
  const counts = countFeatures(normalizeText(text))
  const families = [0, 1, 2, 3].map(() => new Float64Array(dims))
  for (const [key, tf] of counts) {
    const family = key & 3
    const bucket = (key >>> 2) % dims
    const sign = key >>> 31 === 1 ? -1 : 1
    families[family]![bucket]! += sign * (1 + Math.log(tf))
  }
  const mix = [weights.unigram, weights.bigram, weights.charGram, weights.cjk]
  const out = new Float32Array(dims)
  families.forEach((v, family) => addNormalised(out, v, mix[family]!))
  return normaliseInPlace(out)
}

export const localEmbedder: EmbeddingProvider = {
  name: 'local-hash-v1',
  dimensions: LOCAL_EMBEDDING_DIMENSIONS,
  lexical: true,
  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(embedLocal(t)))
  },
}

function countFeatures(text: string): Map<number, number> {
  const counts = new Map<number, number>()
  const add = (hash: number, family: number) => {
    const key = ((hash & ~3) | family) >>> 0
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  let previous = -1
  for (const [token] of text.matchAll(WORD)) {
    if (HAS_CJK.test(token)) {
      addCjk(token, add)
      previous = -1
      continue
    }
    if (STOPWORDS.has(token)) continue
    const word = LATIN_ONLY.test(token) ? stemWord(token) : token
    const unigram = featureHash(word, 0, word.length, SEEDS[UNIGRAM])
    add(unigram, UNIGRAM)
    if (previous !== -1) add(combineHashes(previous, unigram, SEEDS[BIGRAM]), BIGRAM)
    previous = unigram
    addCharGrams(token, add)
  }
  return counts
}

/** Character 3..5-grams of the unstemmed word, padded so prefixes and suffixes are marked. */
function addCharGrams(token: string, add: (hash: number, family: number) => void) {
  const padded = `<${token}>`
  for (let n = 3; n <= 5; n++) {
    for (let i = 0; i + n <= padded.length; i++) add(featureHash(padded, i, i + n, SEEDS[CHARGRAM]), CHARGRAM)
  }
}

/** Mixed tokens like "aiモデル" are split into their CJK and other parts. */
function addCjk(token: string, add: (hash: number, family: number) => void) {
  for (const [run] of token.matchAll(CJK_RUN)) {
    for (let i = 0; i < run.length; i++) {
      add(featureHash(run, i, i + 1, SEEDS[CJK]), CJK)
      if (i + 1 < run.length) add(featureHash(run, i, i + 2, SEEDS[CJK]), CJK)
    }
  }
  for (const rest of token.replace(CJK_RUN, ' ').split(' ')) {
    if (rest && !STOPWORDS.has(rest)) {
      add(featureHash(rest, 0, rest.length, SEEDS[UNIGRAM]), UNIGRAM)
      addCharGrams(rest, add)
    }
  }
}

function addNormalised(out: Float32Array, v: Float64Array, weight: number) {
  let norm = 0
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!
  if (norm === 0 || weight === 0) return
  const scale = weight / Math.sqrt(norm)
  for (let i = 0; i < v.length; i++) out[i]! += v[i]! * scale
}

function normaliseInPlace(v: Float32Array): Float32Array {
  let norm = 0
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!
  if (norm === 0) return v
  const scale = 1 / Math.sqrt(norm)
  for (let i = 0; i < v.length; i++) v[i]! *= scale
  return v
}
