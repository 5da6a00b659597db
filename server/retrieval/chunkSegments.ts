// Time-aware chunking: groups a video's cues into overlapping passages of a
// few hundred words, each knowing the moment of the video it covers, so a
// retrieved passage can cite (and seek to) that moment.
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
}

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

  const plan: Plan = { opts, n, sum, words, texts, segments }
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
}

function resolveOptions(options: Partial<ChunkOptions>): ChunkOptions {
  const opts = { ...DEFAULT_CHUNK_OPTIONS, ...options }
  const { minWords, targetWords, maxWords, overlapRatio } = opts
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
  const { opts, n, sum, segments, texts } = plan
  const remaining = sum(start, n - 1)
  if (remaining <= opts.maxWords) return n - 1

  // Furthest end that still fits; a single oversized cue becomes its own chunk.
  let last = Math.max(start, minEnd)
  while (last + 1 < n && sum(start, last + 1) <= opts.maxWords) last++

  // Near the end, split what is left evenly rather than leave a runt tail chunk.
  let target = opts.targetWords
  const expectedOverlap = target * opts.overlapRatio
  if (remaining - target + expectedOverlap < opts.minWords) {
    target = Math.min(opts.maxWords, Math.max(opts.minWords, (remaining + expectedOverlap) / 2))
  }

  // Lexicographic preference: speaker turn, then sentence end, then any cue; closest to target within a tier.
  let best = -1
  let bestScore = Infinity
  for (let e = Math.max(start, minEnd); e <= last; e++) {
    const w = sum(start, e)
    if (w < opts.minWords) continue
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
  const { opts, sum, words } = plan
  const want = sum(start, end) * opts.overlapRatio
  let next = end + 1
  let got = 0
  while (next - 1 > start) {
    const w = words[next - 1]!
    if (Math.abs(got + w - want) >= Math.abs(got - want)) break
    got += w
    next--
  }
  // Overlap must never push the next chunk over the limit on its own.
  return next <= end && sum(next, end + 1) > opts.maxWords ? end + 1 : next
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
    : texts.slice(start, end + 1).filter((t) => t.length > 0).join(' ')

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
