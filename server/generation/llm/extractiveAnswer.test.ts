import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chunkSegments } from '../../retrieval/chunkSegments.ts'
import { parseTranscript } from '../../videos/transcripts/parseTranscript.ts'
import { composeExtractiveAnswer, NOTHING_FOUND, sentencesOf } from './extractiveAnswer.ts'

const TALK = join(import.meta.dir, '../../../../shared/datasets/transcripts/talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')
const segments = parseTranscript('vtt', readFileSync(TALK, 'utf8'))
// Overlapping passages, as search returns them: the same sentences appear in two.
const passages = chunkSegments(segments)
  .filter((c) => /disk size/i.test(c.text))
  .slice(0, 4)
  .map((c, i) => ({ n: i + 1, text: c.text }))

describe('composeExtractiveAnswer', () => {
  test('quotes whole sentences, each once, each cited', () => {
    const answer = composeExtractiveAnswer('What is the default disk size limit of the cache?', passages)
    const quotes = answer.split('\n\n')
    expect(answer).toContain('> The default for the disk size is one gig. [')
    for (const q of quotes) {
      expect(q).toMatch(/^> [A-Z0-9"'“(].*[.!?…"'”)] \[\d\]$/s)
    }
    const texts = quotes.map((q) => q.replace(/ \[\d\]$/, ''))
    expect(new Set(texts).size).toBe(texts.length)
  })

  test('never repeats a sentence that two overlapping passages share', () => {
    const shared = 'The default size limit of the cache is one gigabyte on disk.'
    const answer = composeExtractiveAnswer('what is the default size limit of the cache on disk', [
      { n: 1, text: `Earlier words here. ${shared}` },
      { n: 2, text: `${shared} Later words follow.` },
    ])
    expect(answer).toBe(`> ${shared} [1]`)
  })

  test('refuses plainly when nothing is relevant, instead of quoting the nearest passages', () => {
    expect(composeExtractiveAnswer('Who won the football world cup in 1998?', passages)).toBe(NOTHING_FOUND)
    expect(composeExtractiveAnswer('the and of', passages)).toBe(NOTHING_FOUND)
    expect(composeExtractiveAnswer('caching', [])).toBe(NOTHING_FOUND)
  })

  test("one word in common is no answer: a quote shares two of the question's terms when the passages have two", () => {
    const show = [
      { n: 1, text: 'Best of all, there is no subscription in sight for anyone.' },
      { n: 2, text: 'We put the newest episodes on top of the list. The top ten is on top of the page. Click the top link to start.' },
    ]
    expect(composeExtractiveAnswer('What is the best pizza topping?', show)).toBe(NOTHING_FOUND)
    // The same words, both in one sentence, are an answer.
    const menu = [...show, { n: 3, text: 'The best topping on a pizza is fresh basil, added after baking.' }]
    expect(composeExtractiveAnswer('What is the best pizza topping?', menu)).toBe(
      '> The best topping on a pizza is fresh basil, added after baking. [3]',
    )
  })

  test('words that only frame the question ("what did they discuss…") need not be quoted', () => {
    const answer = composeExtractiveAnswer('What did they discuss about eviction?', [
      { n: 1, text: 'We discussed the agenda for a long time today, as always.' },
      { n: 2, text: 'Eviction drops the least recently used keys first when the cache is full.' },
    ])
    expect(answer).toBe('> Eviction drops the least recently used keys first when the cache is full. [2]')
  })

  test('an unpunctuated caption quotes its timed lines instead of one run-on "sentence"', () => {
    const words = Array.from({ length: 12 }, (_, i) => `line ${i} talks about caching with sqlite files on disk and other things`)
    const cues = words.map((text, i) => ({ startMs: i * 4000, endMs: i * 4000 + 3500, text }))
    const units = sentencesOf({ n: 1, text: words.join(' '), cues })
    // Cue groups of at most 20 s: five 4-second cues each.
    expect(units).toHaveLength(3)
    expect(units[0]).toBe(words.slice(0, 5).join(' '))
  })
})
