import { describe, expect, test } from 'bun:test'
import { TranscriptParseError, parseTranscript } from './parseTranscript.ts'

describe('plain text', () => {
  test('each paragraph becomes one untimed segment with its lines joined', () => {
    expect(parseTranscript('text', '\n\nFirst line\n  wrapped here.\n\n\n\nSecond  paragraph &amp; <b>literal</b>\n')).toEqual([
      { startMs: null, endMs: null, speaker: null, text: 'First line wrapped here.' },
      { startMs: null, endMs: null, speaker: null, text: 'Second paragraph &amp; <b>literal</b>' },
    ])
  })

  test('whitespace-only text is an empty transcript', () => {
    expect(() => parseTranscript('text', ' \n\t\n')).toThrow(TranscriptParseError)
  })

  test('an over-long line is refused by number', () => {
    try {
      parseTranscript('text', `ok\n${'y'.repeat(10_001)}`)
      throw new Error('expected an error')
    } catch (error) {
      expect((error as TranscriptParseError).line).toBe(2)
    }
  })
})
