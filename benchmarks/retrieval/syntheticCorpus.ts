// Synthetic retrieval corpora: chunk texts cut from the real long transcripts
// (so words, lengths and term frequencies look like speech), and clustered
// random unit vectors (a mixture of gaussians around random centroids: real
// embeddings cluster by topic; uniformly random vectors would be the HNSW
// worst case). Deterministic from a seed.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { decodeTranscript, detectFormat, parseTranscript } from '../../server/videos/transcripts/parseTranscript.ts'
import { LONG_TRANSCRIPTS } from '../seedCollection.ts'

/** mulberry32: small, fast, seedable. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function gaussian(rand: () => number): () => number {
  let spare: number | null = null
  return () => {
    if (spare !== null) {
      const s = spare
      spare = null
      return s
    }
    const u = rand() || 1e-12
    const v = rand()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
}

/** The words of the four long transcripts, in order. */
export function transcriptWords(): string[] {
  const words: string[] = []
  for (const file of LONG_TRANSCRIPTS) {
    const bytes = new Uint8Array(readFileSync(file))
    for (const s of parseTranscript(detectFormat(basename(file), null, bytes), decodeTranscript(bytes)))
      words.push(...s.text.split(/\s+/).filter(Boolean))
  }
  return words
}

/** A chunk-sized text (~`words` words) of three runs from random places in the transcripts. */
export function chunkText(words: readonly string[], rand: () => number, size: number): string {
  const out: string[] = []
  for (let part = 0; part < 3; part++) {
    const n = Math.round(size / 3)
    const at = Math.floor(rand() * (words.length - n))
    for (let i = at; i < at + n; i++) out.push(words[i]!)
  }
  return out.join(' ')
}

export type VectorSpace = { dimensions: number; next(): Float32Array }

/** Unit vectors spread around `clusters` random centroids; each is centroid + noise of equal norm. */
export function clusteredVectors(dimensions: number, clusters: number, seed: number): VectorSpace {
  const rand = random(seed)
  const gauss = gaussian(rand)
  const centroids: Float32Array[] = []
  for (let c = 0; c < clusters; c++) centroids.push(normalize(Float32Array.from({ length: dimensions }, gauss)))
  const noise = 1 / Math.sqrt(dimensions)
  return {
    dimensions,
    next() {
      const c = centroids[Math.floor(rand() * clusters)]!
      const v = new Float32Array(dimensions)
      for (let i = 0; i < dimensions; i++) v[i] = c[i]! + gauss() * noise
      return normalize(v)
    },
  }
}

function normalize(v: Float32Array): Float32Array {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!
  const n = Math.sqrt(s)
  for (let i = 0; i < v.length; i++) v[i]! /= n
  return v
}

/** pgvector's binary `vector` (vector_recv): int16 dims, int16 unused, float4 × dims, big-endian. */
export function vectorBinary(v: Float32Array): Buffer {
  const b = Buffer.allocUnsafe(4 + 4 * v.length)
  b.writeInt16BE(v.length, 0)
  b.writeInt16BE(0, 2)
  for (let i = 0; i < v.length; i++) b.writeFloatBE(v[i]!, 4 + 4 * i)
  return b
}

export function vectorText(v: Float32Array): string {
  return `[${Array.from(v).join(',')}]`
}
