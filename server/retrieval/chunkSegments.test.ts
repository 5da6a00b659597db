import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { transcriptPath } from '../../testing/datasets.ts'
import { parseTranscript } from '../videos/transcripts/parseTranscript.ts'
import { chunkSegments } from './chunkSegments'
import { countWords } from './countWords'
import type { Chunk, Segment } from './types'

// The product's own parser, as an upload would take it.
const talk = parseTranscript(
  'srt',
  readFileSync(transcriptPath('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt'), 'utf8'),
)

/** Monologue cues of `words` words each, one second apart. */
function cues(count: number, words: number, speaker: (i: number) => string | null = () => null): Segment[] {
  return Array.from({ length: count }, (_, i) => ({
    startMs: i * 1000,
    endMs: i * 1000 + 900,
    speaker: speaker(i),
    text: Array.from({ length: words }, (_, w) => `w${i}x${w}`).join(' '),
  }))
}

function expectContiguousCover(chunks: Chunk[], segmentCount: number) {
  expect(chunks[0]!.segmentStart).toBe(0)
  expect(chunks.at(-1)!.segmentEnd).toBe(segmentCount - 1)
  chunks.forEach((c, i) => {
    expect(c.ordinal).toBe(i)
    expect(c.segmentStart).toBeLessThanOrEqual(c.segmentEnd)
    if (i > 0) {
      const prev = chunks[i - 1]!
      // Each chunk starts inside or right after the previous one and moves forward.
      expect(c.segmentStart).toBeGreaterThan(prev.segmentStart)
      expect(c.segmentStart).toBeLessThanOrEqual(prev.segmentEnd + 1)
      expect(c.segmentEnd).toBeGreaterThan(prev.segmentEnd)
    }
  })
}

describe('chunkSegments on a real 55-minute talk, by words alone', () => {
  const chunks = chunkSegments(talk, { maxDurationMs: Infinity })

  test('the fixture parses into its 1,036 cues', () => {
    expect(talk.length).toBe(1036)
  })

  test('keeps every chunk but the last within 200-400 words', () => {
    expect(chunks.length).toBeGreaterThan(30)
    for (const c of chunks.slice(0, -1)) {
      expect(c.wordCount).toBeGreaterThanOrEqual(200)
      expect(c.wordCount).toBeLessThanOrEqual(400)
    }
    expect(chunks.at(-1)!.wordCount).toBeLessThanOrEqual(400)
  })

  test('averages close to the 300-word target', () => {
    const mean = chunks.reduce((s, c) => s + c.wordCount, 0) / chunks.length
    expect(mean).toBeGreaterThan(260)
    expect(mean).toBeLessThan(340)
  })

  test('covers every cue with contiguous, forward-moving cue ranges', () => {
    expectContiguousCover(chunks, talk.length)
  })

  test('word counts add up from whole cues, so no cue was split', () => {
    for (const c of chunks) {
      const words = talk.slice(c.segmentStart, c.segmentEnd + 1).reduce((s, seg) => s + countWords(seg.text), 0)
      expect(c.wordCount).toBe(words)
      expect(countWords(c.text)).toBe(words)
    }
  })

  test('repeats about 15% of each chunk at the start of the next', () => {
    const ratios = chunks.slice(1).map((c, i) => {
      const prev = chunks[i]!
      const shared = talk.slice(c.segmentStart, prev.segmentEnd + 1).reduce((s, seg) => s + countWords(seg.text), 0)
      return shared / prev.wordCount
    })
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length
    expect(mean).toBeGreaterThan(0.1)
    expect(mean).toBeLessThan(0.2)
    for (const r of ratios) expect(r).toBeLessThan(0.3)
  })

  test('takes start and end times from its first and last cue', () => {
    for (const c of chunks) {
      expect(c.startMs).toBe(talk[c.segmentStart]!.startMs)
      expect(c.endMs).toBe(talk[c.segmentEnd]!.endMs)
    }
    expect(chunks.at(-1)!.endMs).toBe(3_320_360)
  })

  test('is deterministic', () => {
    expect(chunkSegments(talk, { maxDurationMs: Infinity })).toEqual(chunks)
  })
})

describe('chunkSegments bounded by time', () => {
  test('keeps every passage of a talk within 90 seconds when asked, still covering every cue', () => {
    const chunks = chunkSegments(talk, { maxDurationMs: 90_000 })
    for (const c of chunks) {
      expect(c.endMs! - c.startMs!).toBeLessThanOrEqual(90_000)
      expect(c.wordCount).toBeLessThanOrEqual(400)
    }
    expectContiguousCover(chunks, talk.length)
    // At ~160 words a minute, time is what binds: passages are shorter than by words alone.
    expect(chunks.length).toBeGreaterThan(chunkSegments(talk, { maxDurationMs: Infinity }).length)
  })

  test('splits a sparse film (a few words every few seconds) into passages of at most two minutes', () => {
    const film = parseTranscript('srt', readFileSync(transcriptPath('meyer1994-srt__sintel_en.srt'), 'utf8'))
    const words = film.reduce((n, s) => n + countWords(s.text), 0)
    // By words alone the whole film is one passage: its link would open at the first line.
    expect(words).toBeLessThan(200)
    expect(chunkSegments(film, { maxDurationMs: Infinity })).toHaveLength(1)
    const chunks = chunkSegments(film)
    expect(chunks.length).toBeGreaterThanOrEqual(4)
    for (const c of chunks) expect(c.endMs! - c.startMs!).toBeLessThanOrEqual(120_000)
    expectContiguousCover(chunks, film.length)
    // The last line (at 10:56) is in a passage that starts minutes after the first line (2:17).
    const last = chunks.at(-1)!
    expect(last.startMs!).toBeGreaterThan(film.at(-1)!.startMs! - 120_000)
    expect(last.startMs!).toBeGreaterThan(film[0]!.startMs! + 5 * 60_000)
  })

  test('gives a cue longer than the bound a passage of its own', () => {
    const segments = [
      ...cues(5, 10),
      { startMs: 5_000, endMs: 200_000, speaker: null, text: 'a very long caption' },
      ...cues(5, 10).map((s) => ({ ...s, startMs: s.startMs! + 200_000, endMs: s.endMs! + 200_000 })),
    ]
    const chunks = chunkSegments(segments)
    expect(chunks.some((c) => c.segmentStart === 5 && c.segmentEnd === 5)).toBe(true)
    expectContiguousCover(chunks, segments.length)
  })

  test('does not bound untimed transcripts by time', () => {
    const plain = cues(30, 10).map((s) => ({ ...s, startMs: null, endMs: null }))
    expect(chunkSegments(plain)).toHaveLength(1)
  })
})

describe('chunkSegments with speakers', () => {
  // Turns of 7 cues x 10 words = 70 words; turn boundaries every 70 words.
  const dialogue = cues(60, 10, (i) => (Math.floor(i / 7) % 2 === 0 ? 'Alice' : 'Bob'))
  const chunks = chunkSegments(dialogue)

  test('ends chunks at a speaker turn when one falls inside the 200-400 window', () => {
    for (const c of chunks.slice(0, -1)) {
      expect(dialogue[c.segmentEnd]!.speaker).not.toBe(dialogue[c.segmentEnd + 1]!.speaker)
    }
  })

  test('prefers a turn over the cue closest to the target size', () => {
    // 280 words (4 turns) is a turn; 300 words would be mid-turn.
    expect(chunks[0]!.wordCount).toBe(280)
  })

  test('prefixes each turn with its speaker and lists the speakers', () => {
    const first = chunks[0]!
    expect(first.speakers).toEqual(['Alice', 'Bob'])
    expect(first.text.startsWith('Alice: w0x0')).toBe(true)
    expect(first.text).toContain('\nBob: w7x0')
    expect(first.text.match(/^(Alice|Bob): /gmu)?.length).toBe(4)
  })

  test("leaves a single speaker's chunk without prefixes", () => {
    const monologue = cues(30, 10, () => 'Alice')
    const [only] = chunkSegments(monologue)
    expect(only!.speakers).toEqual(['Alice'])
    expect(only!.text.startsWith('w0x0')).toBe(true)
    expect(only!.text).not.toContain('Alice:')
  })
})

describe('chunkSegments edge cases', () => {
  test('makes an oversized cue its own chunk rather than splitting it', () => {
    const segments = [...cues(10, 30), { startMs: 10_000, endMs: 20_000, speaker: null, text: 'long '.repeat(900) }, ...cues(10, 30)]
    const chunks = chunkSegments(segments)
    const giant = chunks.find((c) => c.segmentStart <= 10 && c.segmentEnd >= 10)!
    expect(giant.segmentStart).toBe(10)
    expect(giant.segmentEnd).toBe(10)
    expect(giant.wordCount).toBe(900)
    expectContiguousCover(chunks, segments.length)
  })

  test('chunks CJK text without spaces into several chunks', () => {
    const sentence = '今日は東京で会議があり、新しい製品の設計について長い時間をかけて話し合いました。'
    const segments = cues(80, 1).map((s, i) => ({ ...s, text: `${sentence}${i}番目の発言です。` }))
    const perCue = countWords(segments[0]!.text)
    expect(perCue).toBeGreaterThan(15)
    const chunks = chunkSegments(segments)
    expect(chunks.length).toBeGreaterThanOrEqual(Math.floor((80 * perCue) / 400))
    for (const c of chunks) expect(c.wordCount).toBeLessThanOrEqual(400)
    expectContiguousCover(chunks, segments.length)
  })

  test('accepts plain text without timing and reports null times', () => {
    const plain = cues(100, 12).map((s) => ({ ...s, startMs: null, endMs: null }))
    const chunks = chunkSegments(plain)
    expect(chunks.length).toBeGreaterThan(2)
    for (const c of chunks) {
      expect(c.startMs).toBeNull()
      expect(c.endMs).toBeNull()
    }
  })

  test('returns one chunk for a transcript shorter than the minimum', () => {
    const chunks = chunkSegments(cues(5, 10))
    expect(chunks).toHaveLength(1)
    expect(chunks[0]).toMatchObject({ segmentStart: 0, segmentEnd: 4, wordCount: 50, startMs: 0, endMs: 4900 })
  })

  test('returns no chunks when there are no words', () => {
    expect(chunkSegments([])).toEqual([])
    expect(chunkSegments([{ startMs: 0, endMs: 1, speaker: null, text: ' ♪ ' }])).toEqual([])
  })

  test('does not leave a runt chunk at the end (by words)', () => {
    // 420 words: a 300-word chunk would leave ~160 with its overlap; near-even halves are preferred.
    const chunks = chunkSegments(cues(42, 10))
    expect(chunks).toHaveLength(2)
    for (const c of chunks) expect(c.wordCount).toBeGreaterThanOrEqual(200)
  })

  test('rejects inconsistent size options', () => {
    expect(() => chunkSegments(cues(3, 3), { minWords: 500 })).toThrow(RangeError)
    expect(() => chunkSegments(cues(3, 3), { overlapRatio: 0.8 })).toThrow(RangeError)
    expect(() => chunkSegments(cues(3, 3), { maxDurationMs: 0 })).toThrow(RangeError)
  })
})
