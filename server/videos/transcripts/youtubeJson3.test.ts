import { describe, expect, test } from 'bun:test'
import { parseTranscript } from './parseTranscript.ts'
import { parseErrorOf } from '../../../testing/parseErrorOf.ts'

const json3 = (text: string) => parseTranscript('youtube_json3', text)

const parseError = parseErrorOf

// Shaped like https://www.youtube.com/api/timedtext?fmt=json3 for an auto-generated track:
// a window event without segs, word-level segs with offsets, "\n" append events.
const AUTO_CAPTIONS = `{
  "wireMagic": "pb3",
  "pens": [ {  } ],
  "wsWinStyles": [ {  }, { "mhModeHint": 2, "juJustifCode": 0, "sdScrollDir": 3 } ],
  "wpWinPositions": [ {  }, { "apPoint": 6, "ahHorPos": 20, "avVerPos": 100, "rcRows": 2, "ccCols": 40 } ],
  "events": [ {
    "tStartMs": 0,
    "dDurationMs": 5159,
    "id": 1,
    "wpWinPosId": 1,
    "wsWinStyleId": 1
  }, {
    "tStartMs": 160,
    "dDurationMs": 4080,
    "wWinId": 1,
    "segs": [ { "utf8": "so", "acAsrConf": 0 }, { "utf8": " today", "tOffsetMs": 240, "acAsrConf": 0 }, { "utf8": " we're", "tOffsetMs": 720, "acAsrConf": 0 } ]
  }, {
    "tStartMs": 2150,
    "dDurationMs": 2090,
    "wWinId": 1,
    "aAppend": 1,
    "segs": [ { "utf8": "\\n" } ]
  }, {
    "tStartMs": 2160,
    "dDurationMs": 3000,
    "wWinId": 1,
    "segs": [ { "utf8": "talking about æøå &amp; 日本語" } ]
  } ]
}
`

describe('YouTube json3', () => {
  test('events with segs become segments; window events and newline appends are skipped', () => {
    expect(json3(AUTO_CAPTIONS)).toEqual([
      { startMs: 160, endMs: 4240, speaker: null, text: "so today we're" },
      { startMs: 2160, endMs: 5160, speaker: null, text: 'talking about æøå &amp; 日本語' },
    ])
  })

  test('an event without a duration has an unknown end time', () => {
    expect(json3('{"events":[{"tStartMs":1000,"segs":[{"utf8":"hi"}]}]}')[0]!.endMs).toBeNull()
  })

  test('a JSON syntax error is reported on its line', () => {
    const error = parseError(() => json3('{\n  "events": [\n    {"tStartMs": 0,, "segs": []}\n  ]\n}'))
    expect(error.line).toBe(3)
    expect(error.reason).toStartWith('not valid JSON')
  })

  test('a wrongly typed tStartMs is reported on its line', () => {
    const error = parseError(() =>
      json3('{"events": [\n{"tStartMs": 0, "segs": [{"utf8": "a"}]},\n{"tStartMs": "later", "segs": [{"utf8": "b"}]}\n]}'),
    )
    expect(error.line).toBe(3)
    expect(error.reason).toContain('events[1].tStartMs')
  })

  test('a seg without utf8 text is refused', () => {
    expect(parseError(() => json3('{"events":[{"tStartMs":0,"segs":[{"text":"a"}]}]}')).reason).toContain('segs[0].utf8')
  })

  test('JSON without an events array is refused', () => {
    expect(parseError(() => json3('[1, 2]')).reason).toContain('"events" array')
  })

  test('events that carry only newlines are an empty transcript', () => {
    expect(parseError(() => json3('{"events":[{"tStartMs":0,"segs":[{"utf8":"\\n"}]}]}')).reason).toBe('empty transcript')
  })
})
