// Time-aware chunking: groups a video's cues into overlapping passages of a
// few hundred words and at most two minutes, each knowing the moment
// of the video it covers, so a retrieved passage can cite (and seek to) that
// moment. The time bound matters for sparse captions (films, music videos):
// bounded by words alone, a short film's few hundred words became one passage
// spanning the whole video, and its citation opened at the first line.
//
// Cues are never split: a cue is the smallest unit with a timestamp, and a
// passage that started mid-cue could not say where it starts.

import { countWords } from './countWords'
import type { Chunk, ChunkOptions, Segment } from './types'

export const DEFAULT_CHUNK_OPTIONS: Readonly<ChunkOptions> = {
  targetWords: 300,
  minWords: 200,
  maxWords: 400,
  overlapRatio: 0.15,
  // Chosen on the QMSum "choose" half (benchmarks/retrieval-qmsum/README.md):
  // 120 s kept full-text R@10 and MRR@10 at the words-only level, where 90 s
  // cost 3-5 points of R@10 across a collection; links open at the moment
  // inside the passage either way (median error within 3 s of each other).
  maxDurationMs: 120_000,
}

/**
 * Stored with every video's chunks. Raise it whenever chunkSegments or its
 * defaults change what passages a transcript gives: videos chunked by an older
 * version are re-chunked in the background (jobs/rechunk.ts).
 * 1: words only (200-400). 2: also at most 90 s per passage. 3: at most 120 s.
 */
export const CHUNKER_VERSION = 3

const SENTENCE_END = /[.!?。！？…]["'”’)\]]*$/u

export function chunkSegments(segments: readonly Segment[], options: Partial<ChunkOptions> = {}): Chunk[] {
  const opts = resolveOptions(options)
  const texts = segments.map((s) => s.text.replace(/\s+/gu, ' ').trim())
  const words = texts.map(countWords)
  const prefix = [0]
  for (const w of words) prefix.push(prefix[prefix.length - 1]! + w)
  const n = segments.length
  if (prefix[n] === 0) return []
  const sum = (from: number, to: number) => prefix[to + 1]! - prefix[from]!

  const plan: Plan = { opts, n, sum, words, texts, segments, span: spanOf(segments) }
  const chunks: Chunk[] = []
  let start = 0
  let minEnd = 0
  for (;;) {
    const end = pickEnd(plan, start, minEnd)
    chunks.push(buildChunk(plan, chunks.length, start, end))
    if (end === n - 1) return chunks
    start = pickNextStart(plan, start, end)
    minEnd = end + 1
  }
}

type Plan = {
  opts: ChunkOptions
  n: number
  sum: (from: number, to: number) => number
  words: number[]
  texts: string[]
  segments: readonly Segment[]
  /** Milliseconds from the first cue's start to the last cue's end (0 without timing). */
  span: (from: number, to: number) => number
}

/** Playback time a run of cues covers; cues without timing add none. */
function spanOf(segments: readonly Segment[]): (from: number, to: number) => number {
  return (from, to) => {
    const start = firstTime(segments, from, to)
    const end = lastTime(segments, from, to)
    return start === null || end === null ? 0 : Math.max(0, end - start)
  }
}

function resolveOptions(options: Partial<ChunkOptions>): ChunkOptions {
  const opts = { ...DEFAULT_CHUNK_OPTIONS, ...options }
  const { minWords, targetWords, maxWords, overlapRatio, maxDurationMs } = opts
  if (!(maxDurationMs > 0)) throw new RangeError(`maxDurationMs must be positive, got ${maxDurationMs}`)
  if (!(minWords > 0 && minWords <= targetWords && targetWords <= maxWords)) {
    throw new RangeError(`chunk sizes must satisfy 0 < minWords <= targetWords <= maxWords, got ${minWords}/${targetWords}/${maxWords}`)
  }
  if (!(overlapRatio >= 0 && overlapRatio < 0.5)) {
    throw new RangeError(`overlapRatio must be in [0, 0.5), got ${overlapRatio}`)
  }
  return opts
}

/** Last cue of the chunk starting at `start`; it must reach past the previous chunk (`minEnd`). */
function pickEnd(plan: Plan, start: number, minEnd: number): number {
  const { opts, n, sum, span, segments, texts } = plan
  const fits = (e: number) => sum(start, e) <= opts.maxWords && span(start, e) <= opts.maxDurationMs
  const remaining = sum(start, n - 1)
  if (fits(n - 1)) return n - 1

  // Furthest end that still fits; a single oversized (or overlong) cue becomes its own chunk.
  let last = Math.max(start, minEnd)
  while (last + 1 < n && fits(last + 1)) last++

  // Near the end, split what is left evenly rather than leave a runt tail chunk.
  let target = opts.targetWords
  const expectedOverlap = target * opts.overlapRatio
  if (remaining - target + expectedOverlap < opts.minWords) {
    target = Math.min(opts.maxWords, Math.max(opts.minWords, (remaining + expectedOverlap) / 2))
  }
  // The same by time: when what is left spans less than two chunks, end near its middle.
  const remainingSpan = span(start, n - 1)
  if (remainingSpan < 2 * opts.maxDurationMs) {
    let half = Math.max(start, minEnd)
    while (half < last && span(start, half) < remainingSpan / 2) half++
    target = Math.min(target, sum(start, half))
  }
  // Time ran out before the words did (sparse captions): the window is all
  // there is, so aim for its far end and accept fewer words than minWords.
  let minWords = opts.minWords
  const reach = sum(start, last)
  if (reach < minWords) {
    minWords = 0
    target = reach
  }

  // Lexicographic preference: speaker turn, then sentence end, then any cue; closest to target within a tier.
  let best = -1
  let bestScore = Infinity
  for (let e = Math.max(start, minEnd); e <= last; e++) {
    const w = sum(start, e)
    if (w < minWords) continue
    const turn = e + 1 === n || segments[e]!.speaker !== segments[e + 1]!.speaker
    const tier = turn ? 0 : SENTENCE_END.test(texts[e]!) ? 1 : 2
    const score = tier * (opts.maxWords + 1) + Math.abs(w - target)
    if (score < bestScore) {
      best = e
      bestScore = score
    }
  }
  // No legal end inside the window (the next cue is huge): stop before it.
  return best === -1 ? last : best
}

/** First cue of the next chunk: trailing cues of this one worth ~overlapRatio of its words. */
function pickNextStart(plan: Plan, start: number, end: number): number {
  const { opts, sum, span, words } = plan
  const want = sum(start, end) * opts.overlapRatio
  let next = end + 1
  let got = 0
  while (next - 1 > start) {
    const w = words[next - 1]!
    if (Math.abs(got + w - want) >= Math.abs(got - want)) break
    got += w
    next--
  }
  // Overlap must never push the next chunk over a limit on its own.
  return next <= end && (sum(next, end + 1) > opts.maxWords || span(next, end + 1) > opts.maxDurationMs) ? end + 1 : next
}

function buildChunk(plan: Plan, ordinal: number, start: number, end: number): Chunk {
  const { segments, texts, sum } = plan
  const speakers: string[] = []
  const turns: string[] = []
  let turn: string[] = []
  let changes = false
  for (let i = start; i <= end; i++) {
    const speaker = segments[i]!.speaker
    if (speaker !== null && !speakers.includes(speaker)) speakers.push(speaker)
    if (i > start && speaker !== segments[i - 1]!.speaker) {
      changes = true
      turns.push(turn.join(' '))
      turn = []
    }
    if (turn.length === 0 && speaker !== null) turn.push(`${speaker}:`)
    if (texts[i]) turn.push(texts[i]!)
  }
  turns.push(turn.join(' '))

  // Speaker prefixes only help when the chunk has several voices; a monologue stays plain text.
  const text = changes
    ? turns.filter((t) => t.length > 0).join('\n')
    : texts
        .slice(start, end + 1)
        .filter((t) => t.length > 0)
        .join(' ')

  return {
    ordinal,
    text,
    startMs: firstTime(segments, start, end),
    endMs: lastTime(segments, start, end),
    speakers,
    segmentStart: start,
    segmentEnd: end,
    wordCount: sum(start, end),
  }
}

function firstTime(segments: readonly Segment[], start: number, end: number): number | null {
  for (let i = start; i <= end; i++) {
    const ms = segments[i]!.startMs
    if (ms !== null) return ms
  }
  return null
}

// A cue without an end time still bounds the chunk by its start time.
function lastTime(segments: readonly Segment[], start: number, end: number): number | null {
  for (let i = end; i >= start; i--) {
    const { endMs, startMs } = segments[i]!
    if (endMs !== null) return endMs
    if (startMs !== null) return startMs
  }
  return null
}
