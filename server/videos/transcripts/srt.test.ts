import { describe, expect, test } from 'bun:test'
import { parseTranscript } from './parseTranscript.ts'
import { parseErrorOf } from '../../../testing/parseErrorOf.ts'

const srt = (text: string) => parseTranscript('srt', text)

const parseError = parseErrorOf

describe('SRT cues', () => {
  test('standard cues with comma millis and multi-line text', () => {
    expect(srt('1\n00:00:01,000 --> 00:00:02,500\nHello\nworld\n\n2\n01:00:00,000 --> 01:00:01,000\nLater\n')).toEqual([
      { startMs: 1000, endMs: 2500, speaker: null, text: 'Hello world' },
      { startMs: 3_600_000, endMs: 3_601_000, speaker: null, text: 'Later' },
    ])
  })

  test('single-digit hours, dot millis and leading spaces in text are accepted', () => {
    expect(srt('1\n0:00:01.250 --> 0:00:02.000\n   indented text\n')).toEqual([
      { startMs: 1250, endMs: 2000, speaker: null, text: 'indented text' },
    ])
  })

  test('HTML and ASS override tags are stripped', () => {
    const [cue] = srt('1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Quiet</i> <font color="#ff0000">please</font>, <b>now</b>\n')
    expect(cue!.text).toBe('Quiet please, now')
  })

  test('Whisper "#" comment lines before the first cue are ignored, later ones are text', () => {
    const segments = srt('# Transcribed by Whisper\n# Proofreading by: <name>\n\n1\n0:00:00,000 --> 0:00:01,000\n # not a comment here\n')
    expect(segments.map((s) => s.text)).toEqual(['# not a comment here'])
  })

  test('missing cue numbers and missing blank lines are tolerated where unambiguous', () => {
    const segments = srt('00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n00:00:05,000 --> 00:00:06,000\nThree')
    expect(segments.map((s) => [s.startMs, s.text])).toEqual([
      [1000, 'One'],
      [3000, 'Two'],
      [5000, 'Three'],
    ])
  })

  test('a number on its own line is text when no timing follows it', () => {
    expect(srt('1\n00:00:01,000 --> 00:00:02,000\nThe answer is\n42\n\n2\n00:00:03,000 --> 00:00:04,000\nOk')[0]!.text).toBe(
      'The answer is 42',
    )
  })

  test('cue text with entities and position coordinates after the timing', () => {
    expect(srt('1\n00:00:01,000 --> 00:00:02,000 X1:100 X2:200 Y1:10 Y2:20\nR&D &amp; more')[0]!.text).toBe('R&D & more')
  })

  test('cues with no text are dropped', () => {
    expect(srt('1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nKept').map((s) => s.text)).toEqual(['Kept'])
  })
})

describe('SRT errors name the line', () => {
  test('garbage where the timing should follow a cue number', () => {
    const error = parseError(() => srt('1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\nthis is not a timing line\nText'))
    expect(error.line).toBe(6)
    expect(error.reason).toContain('after cue number 2')
  })

  test('a cue number at the end of the file with nothing after it', () => {
    expect(parseError(() => srt('1\n00:00:01,000 --> 00:00:02,000\nOk\n\n2\n')).line).toBe(5)
  })

  test('a block that starts with neither a number nor a timing line', () => {
    const error = parseError(() => srt('1\n00:00:01,000 --> 00:00:02,000\nOk\n\nwhat is this'))
    expect(error.line).toBe(5)
    expect(error.reason).toContain('expected a cue number or a timing line')
  })

  test('a truncated timestamp', () => {
    expect(parseError(() => srt('1\n00:00:01,000 --> 00:00:0\nText')).message).toBe('Line 2: invalid timestamp "00:00:0"')
  })

  test('an end time before the start time', () => {
    expect(parseError(() => srt('\n\n1\n00:00:02,000 --> 00:00:01,000\nText')).message).toBe(
      'Line 4: end time 00:00:01,000 is before start time 00:00:02,000',
    )
  })

  test('an arrow line with no end time', () => {
    expect(parseError(() => srt('1\n00:00:01,000 -->\nText')).line).toBe(2)
  })

  test('comments only is an empty transcript', () => {
    expect(parseError(() => srt('# Transcribed by Whisper\n')).reason).toBe('empty transcript')
  })
})
