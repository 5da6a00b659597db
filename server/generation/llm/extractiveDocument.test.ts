import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chunkSegments } from '../../retrieval/chunkSegments.ts'
import { parseTranscript } from '../../videos/transcripts/parseTranscript.ts'
import { composeExtractiveDocument, NOTHING_TO_SUMMARISE, topicSegments } from './extractiveDocument.ts'

const TALK = join(import.meta.dir, '../../../../shared/datasets/transcripts/talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')
const segments = parseTranscript('vtt', readFileSync(TALK, 'utf8'))
const passages = chunkSegments(segments).map((c, i) => ({ n: i + 1, text: c.text, startMs: c.startMs }))
const bullets = (doc: string) => doc.split('\n').filter((l) => l.startsWith('- '))
const citedPassage = (line: string) => Number(/\[(\d+)\]$/.exec(line)![1])

describe('composeExtractiveDocument', () => {
  test('a summary of a podcast episode is its key sentences from the whole episode, not its intro', () => {
    const summary = composeExtractiveDocument('summary', passages)
    const points = bullets(summary)
    expect(points.length).toBeGreaterThanOrEqual(5)
    expect(summary).not.toMatch(/subscribe|press the bell|welcome to talk python|social media|sponsor/i)
    // The intro (the host's welcome and channel plugs) ends at ~1:25; the first point comes from later.
    const intro = segments.filter((s) => s.startMs !== null && s.startMs < 85_000).map((s) => s.text)
    expect(intro.some((line) => points[0]!.includes(line.replace(/^<v [^>]+>/, '').trim()))).toBe(false)
    // Spread over the timeline: from the first third to the last.
    const cited = points.map(citedPassage)
    expect(Math.min(...cited)).toBeLessThanOrEqual(passages.length / 3)
    expect(Math.max(...cited)).toBeGreaterThanOrEqual((2 * passages.length) / 3)
    expect(cited).toEqual([...cited].sort((a, b) => a - b))
  })

  test('notes quote whole sentences, each once, under topic headings in playback order', () => {
    const notes = composeExtractiveDocument('notes', passages)
    const headings = notes.split('\n').filter((l) => l.startsWith('## '))
    expect(headings.length).toBeGreaterThan(1)
    for (const h of headings) expect(h).toMatch(/^## \S.* \(from \d+:\d{2}(:\d{2})?\)$/)
    const points = bullets(notes)
    for (const p of points) expect(p).toMatch(/^- \S.*[.!?…"'”)] \[\d+\]$/s)
    const texts = points.map((p) => p.replace(/ \[\d+\]$/, ''))
    expect(new Set(texts).size).toBe(texts.length)
    const cited = points.map(citedPassage)
    expect(cited).toEqual([...cited].sort((a, b) => a - b))
  })

  test('topic segments cover every passage once, in order, none of a single passage', () => {
    const segs = topicSegments(passages)
    expect(segs.flat()).toEqual(passages.map((_, i) => i))
    for (const s of segs) expect(s.length).toBeGreaterThanOrEqual(2)
  })

  test('material without quotable sentences says so instead of quoting fragments', () => {
    expect(composeExtractiveDocument('summary', [{ n: 1, text: 'Yeah. Okay. Right.' }])).toBe(NOTHING_TO_SUMMARISE)
    expect(composeExtractiveDocument('outline', [])).toBe(NOTHING_TO_SUMMARISE)
  })
})
