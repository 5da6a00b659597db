import { describe, expect, test } from 'bun:test'
import { snippetAtMoment, snippetOf } from './views.ts'

// A passage as the chunker writes it (several voices: speaker labels, a turn a
// line) and the cues it was built from.
const cues = [
  { startMs: 77_000, endMs: 81_000, text: 'Be sure to subscribe there and press the bell.' },
  { startMs: 81_000, endMs: 86_000, text: 'So, DiskCache.' },
  { startMs: 86_000, endMs: 92_000, text: 'It keeps the cache in SQLite files on disk,' },
  { startMs: 92_000, endMs: 97_000, text: 'so it survives restarts.' },
  { startMs: 97_000, endMs: 99_000, text: 'So, DiskCache.' },
]
const text = [
  'Michael Kennedy: Be sure to subscribe there and press the bell. So, DiskCache.',
  'Vincent Warmerdam: It keeps the cache in SQLite files on disk, so it survives restarts. So, DiskCache.',
].join('\n')

describe('a source snippet', () => {
  const speakers = ['Michael Kennedy', 'Vincent Warmerdam']

  test('starts at the moment the link opens at, inside the passage text, saying who speaks', () => {
    // The moment opens a turn: the turn with its label.
    expect(snippetAtMoment(text, cues, 86_000, speakers)).toBe(
      '…Vincent Warmerdam: It keeps the cache in SQLite files on disk, so it survives restarts. So, DiskCache.',
    )
    // Inside a turn: who says it, then from the moment on.
    expect(snippetAtMoment(text, cues, 92_000, speakers)).toBe('Vincent Warmerdam: …so it survives restarts. So, DiskCache.')
    expect(snippetAtMoment(text, cues, 81_000, speakers)).toBe(
      'Michael Kennedy: …So, DiskCache.\nVincent Warmerdam: It keeps the cache in SQLite files on disk, so it survives restarts. So, DiskCache.',
    )
  })

  test('a repeated line is found where the moment is, not where it first appears', () => {
    expect(snippetAtMoment(text, cues, 97_000, speakers)).toBe('Vincent Warmerdam: …So, DiskCache.')
  })

  test("a colon in one voice's words is not a speaker", () => {
    const monologue = [
      { startMs: 0, endMs: 4000, text: 'Here is the thing: caching is hard.' },
      { startMs: 4000, endMs: 8000, text: 'SQLite makes it easy.' },
    ]
    expect(snippetAtMoment(monologue.map((c) => c.text).join(' '), monologue, 4000, ['Michael Kennedy'])).toBe('…SQLite makes it easy.')
    // Without the passage's speakers, no label is trusted.
    expect(snippetAtMoment(text, cues, 92_000)).toBe('…so it survives restarts. So, DiskCache.')
  })

  test('is the passage from its start when the moment is there, unknown, or not found in the text', () => {
    expect(snippetAtMoment(text, cues, 77_000)).toBe(snippetOf(text))
    expect(snippetAtMoment(text, cues, null)).toBe(snippetOf(text))
    expect(snippetAtMoment(text, undefined, 86_000)).toBe(snippetOf(text))
    expect(snippetAtMoment(text, [cues[0]!, { startMs: 86_000, endMs: 90_000, text: 'words the passage does not have' }], 86_000)).toBe(
      snippetOf(text),
    )
  })

  test("a cut never ends on a speaker's label without their words", () => {
    const first = `Michael Kennedy: ${'so we talked about caching for a while '.repeat(9).trim()}.`
    const next = '\nVincent Warmerdam: Right, and SQLite does the hard part.'
    // The label starts anywhere from 20 characters before the cut to the cut itself.
    for (let at = 259; at <= 279; at++) {
      const snippet = snippetOf(`${first.slice(0, at)}${next}`)
      expect(snippet).not.toMatch(/\n(Vincent|Vincent Warmerdam|Vincent Warmerdam:)…$/)
    }
    // With some of their words, the label stays.
    expect(snippetOf(`${first.slice(0, 200)}.${next} ${'more words here '.repeat(10)}`)).toContain('\nVincent Warmerdam: Right,')
  })

  test('a long rest is cut at a word like any snippet', () => {
    const long = cues.map((c, i) => ({ ...c, text: `${c.text} ${'word '.repeat(i ? 80 : 1).trim()}` }))
    const snippet = snippetAtMoment(long.map((c) => c.text).join(' '), long, 86_000)
    expect(snippet.startsWith('…It keeps')).toBe(true)
    expect(snippet.endsWith('word…')).toBe(true)
    expect(snippet.length).toBeLessThanOrEqual(282)
  })
})
