import { describe, expect, test } from 'bun:test'
import { parseTranscript } from './parseTranscript.ts'
import { parseErrorOf } from '../../../testing/parseErrorOf.ts'

const vtt = (body: string) => parseTranscript('vtt', `WEBVTT\n\n${body}`)

const parseError = parseErrorOf

describe('WebVTT cues', () => {
  test('an unclosed voice tag becomes the speaker and leaves the text', () => {
    expect(vtt('00:01.000 --> 00:02.500\n<v Michael Kennedy>Hello there.')).toEqual([
      { startMs: 1000, endMs: 2500, speaker: 'Michael Kennedy', text: 'Hello there.' },
    ])
  })

  test('voice classes are not part of the name and extra spaces collapse', () => {
    const [a, b] = vtt('00:01.000 --> 00:02.000\n<v.loud.first  Mary   Ann>Hi</v>\n\n00:03.000 --> 00:04.000\n<v.loud Bob>Yo')
    expect(a!.speaker).toBe('Mary Ann')
    expect(b!.speaker).toBe('Bob')
  })

  test('a speaker change mid-cue keeps the first voice and all the text', () => {
    expect(vtt('00:01.000 --> 00:02.000\n<v Anna>Are you coming?</v>\n<v Ben>Yes.</v>')[0]).toMatchObject({
      speaker: 'Anna',
      text: 'Are you coming? Yes.',
    })
  })

  test('inline tags, ruby readings and timestamp tags are stripped', () => {
    const [cue] = vtt(
      '00:01.000 --> 00:05.000\n<c.yellow>Never</c> <b>drink</b> <i>liquid</i> <u>nitrogen</u><00:00:03.000> <lang en-GB>mate</lang> <ruby>漢<rt>kan</rt></ruby>字',
    )
    expect(cue!.text).toBe('Never drink liquid nitrogen mate 漢字')
  })

  test('entities are decoded, directional marks dropped, and whitespace collapsed', () => {
    const [cue] = vtt('00:01.000 --> 00:02.000\n  Fish &amp; chips &lt;3 &gt;&nbsp;&nbsp;now &lrm;&#39;ok&#x27;&rlm; &#8212; done  ')
    expect(cue!.text).toBe("Fish & chips <3 > now 'ok' — done")
  })

  test('hours are optional and long hours are accepted', () => {
    const [a, b] = vtt('01:02.003 --> 02:03.004\nshort\n\n101:00:00.000 --> 101:00:01.000\nlong')
    expect([a!.startMs, a!.endMs]).toEqual([62003, 123004])
    expect(b!.startMs).toBe(101 * 3_600_000)
  })

  test('cue ids and cue settings are ignored', () => {
    expect(vtt('intro-1\n00:00:01.000 --> 00:00:02.000 align:start position:10% line:-1\nHi')).toEqual([
      { startMs: 1000, endMs: 2000, speaker: null, text: 'Hi' },
    ])
  })

  test('STYLE, REGION and NOTE blocks are skipped, including multi-line ones', () => {
    const segments = vtt(
      'STYLE\n::cue { color: red }\n\nREGION\nid:fred\nwidth:40%\n\nNOTE this is\na two-line note\n\n00:01.000 --> 00:02.000\nSpoken',
    )
    expect(segments.map((s) => s.text)).toEqual(['Spoken'])
  })

  test('a timing line with no text is dropped without an error', () => {
    expect(vtt('00:01.000 --> 00:02.000\n\n00:03.000 --> 00:04.000\n<i> </i>\n\n00:05.000 --> 00:06.000\nKept').map((s) => s.text)).toEqual(
      ['Kept'],
    )
  })

  test('a missing blank line before the next timing line still starts a new cue', () => {
    expect(vtt('00:01.000 --> 00:02.000\nOne\n00:03.000 --> 00:04.000\nTwo').map((s) => s.text)).toEqual(['One', 'Two'])
  })

  test('"-->" inside prose is text, not a timing line', () => {
    expect(vtt('00:01.000 --> 00:02.000\nmap a --> b')[0]!.text).toBe('map a --> b')
  })

  test('a header line may carry a title and metadata', () => {
    expect(parseTranscript('vtt', 'WEBVTT - my talk\nKind: captions\nLanguage: en\n\n00:01.000 --> 00:02.000\nHi')).toHaveLength(1)
  })
})

describe('WebVTT errors name the line', () => {
  test('a missing WEBVTT header is reported on line 1', () => {
    const error = parseError(() => parseTranscript('vtt', '00:01.000 --> 00:02.000\nHi'))
    expect(error.line).toBe(1)
    expect(error.code).toBe('transcript_invalid')
    expect(error.status).toBe(422)
  })

  test('a truncated timestamp is reported on its line', () => {
    const error = parseError(() => vtt('00:00:01.000 --> 00:00:02.000\nOk\n\n00:00:03.000 --> 00:00:0\nBroken'))
    expect(error.line).toBe(6)
    expect(error.message).toBe('Line 6: invalid timestamp "00:00:0"')
    expect(error.extras).toEqual({ line: 6, reason: 'invalid timestamp "00:00:0"' })
  })

  test('an end time before the start time says both times', () => {
    const error = parseError(() => vtt('\n\n\n\n\n\n\n\n\n00:00:02.000 --> 00:00:01.000\nBackwards'))
    expect(error.message).toBe('Line 12: end time 00:00:01.000 is before start time 00:00:02.000')
  })

  test('garbage where the timing should follow a cue id is reported on the garbage line', () => {
    const error = parseError(() => vtt('00:01.000 --> 00:02.000\nOk\n\n2\nnot a timing line\nText'))
    expect(error.line).toBe(7)
    expect(error.reason).toContain('expected a cue timing line')
    expect(error.reason).toContain('"not a timing line"')
  })

  test('a text block with no timing at all is reported on its first line', () => {
    expect(parseError(() => vtt('00:01.000 --> 00:02.000\nOk\n\nstray words here')).line).toBe(6)
  })

  test('minutes or seconds of 60 and more are invalid', () => {
    expect(parseError(() => vtt('00:00:60.000 --> 00:01:00.000\nx')).line).toBe(3)
  })

  test('a line over the limit is refused by number, and the limit is configurable', () => {
    const long = 'x'.repeat(10_001)
    const error = parseError(() => vtt(`00:01.000 --> 00:02.000\n${long}`))
    expect(error.line).toBe(4)
    expect(error.reason).toContain('10001 characters')
    expect(parseTranscript('vtt', `WEBVTT\n\n00:01.000 --> 00:02.000\n${long}`, { maxLineLength: 20_000 })).toHaveLength(1)
    const tight = () =>
      parseTranscript('vtt', 'WEBVTT\n\n00:01.000 --> 00:02.000\nthis cue text is longer than thirty', { maxLineLength: 30 })
    expect(parseError(tight).line).toBe(4)
  })

  test('a NUL character is refused on its line', () => {
    expect(parseError(() => vtt('00:01.000 --> 00:02.000\nab\u0000cd')).line).toBe(4)
  })

  test('a header with no cues is an empty transcript', () => {
    const error = parseError(() => parseTranscript('vtt', 'WEBVTT\n\nNOTE nothing here\n'))
    expect(error.reason).toBe('empty transcript')
    expect(error.line).toBeNull()
    expect(error.code).toBe('transcript_invalid')
  })
})
