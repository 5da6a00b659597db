// Every real-world file in the shared dataset (see its SOURCES.md) goes through the
// public path an upload takes: detectFormat -> decodeTranscript -> parseTranscript.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { TRANSCRIPTS_DIR } from '../../../testing/datasets.ts'
import { type Segment, decodeTranscript, detectFormat, parseTranscript } from './parseTranscript.ts'

const DATASET = new URL(`file://${TRANSCRIPTS_DIR}/`)

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, DATASET)))
}

function parseFile(name: string, contentType: string | null = null): Segment[] {
  const bytes = bytesOf(name)
  return parseTranscript(detectFormat(name, contentType, bytes), decodeTranscript(bytes))
}

const TALK_PYTHON = 'talkpython__534-diskcache-your-secret-python-perf-weapon.vtt'
const BORNHACK_EN = 'bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt'
const BORNHACK_DA = 'bornhacksubs__import-4193-eng-Brug_GDPR_til_at_tvinge_firmaer_til_at_respektere_dit_privatliv_hd.mp4.srt'
const YOUTUBE_XML = 'youtube-transcript-api__transcript.xml.static'

// Cue counts and first/last cue times as listed in SOURCES.md (spans checked by hand).
// `literal`: the file deliberately keeps markup-like text (escaped "&lt;fourth&gt;", an invalid "{ \an2}").
const EXPECTED: Array<{ file: string; cues: number; first: [number, number]; last: [number, number]; literal?: true }> = [
  { file: TALK_PYTHON, cues: 1890, first: [20, 3420], last: [4421580, 4424380] },
  { file: BORNHACK_EN, cues: 1036, first: [0, 12000], last: [3319320, 3320360] },
  { file: BORNHACK_DA, cues: 1253, first: [0, 14160], last: [2932420, 2934420] },
  { file: 'missing-semester__qa.sbv', cues: 760, first: [0, 6540], last: [3221851, 3230751] },
  { file: 'videojs__captions.en.vtt', cues: 78, first: [15000, 17951], last: [537000, 539867] },
  { file: 'videojs__captions.ja.vtt', cues: 77, first: [15042, 18042], last: [537333, 540000] },
  { file: 'videojs__descriptions.en.vtt', cues: 63, first: [0, 5000], last: [647500, 653000] },
  { file: 'videojs__chapters.en.vtt', cues: 9, first: [0, 27500], last: [565000, 653000] },
  { file: 'meyer1994-srt__sintel_en.srt', cues: 26, first: [137250, 140500], last: [656200, 659800] },
  { file: 'exoplayer__with_css_styles.vtt', cues: 4, first: [0, 1234], last: [25000, 28000] },
  { file: 'exoplayer__with_positioning.vtt', cues: 8, first: [0, 1234], last: [14000, 15000] },
  { file: 'exoplayer__with_tags.vtt', cues: 4, first: [0, 1234], last: [6000, 7000], literal: true },
  { file: 'exoplayer__typical_with_tags.srt', cues: 14, first: [0, 1234], last: [24567, 24901], literal: true },
  { file: 'exoplayer__typical_with_byte_order_mark.srt', cues: 3, first: [0, 1234], last: [7204567, 7208901] },
]

describe('dataset transcripts', () => {
  for (const { file, cues, first, last, literal } of EXPECTED) {
    test(`${file} parses into ${cues} cues with the expected first and last times`, () => {
      const segments = parseFile(file)
      expect(segments).toHaveLength(cues)
      expect([segments[0]!.startMs, segments[0]!.endMs]).toEqual(first)
      expect([segments.at(-1)!.startMs, segments.at(-1)!.endMs]).toEqual(last)
      for (const s of segments) {
        expect(s.text).not.toBe('')
        expect(s.text).toBe(s.text.trim())
        expect(s.text).not.toMatch(/\s{2}|&(?:amp|lt|gt|nbsp|#\d+);/)
        if (!literal) expect(s.text).not.toMatch(/[<>{}]/)
      }
    })
  }

  test('the Talk Python voice tags become speakers, and untagged intro cues have none', () => {
    const segments = parseFile(TALK_PYTHON)
    const count = (speaker: string | null) => segments.filter((s) => s.speaker === speaker).length
    expect(count('Michael Kennedy')).toBe(862)
    expect(count('Vincent Warmerdam')).toBe(1020)
    expect(count(null)).toBe(8)
    expect(segments[0]).toEqual({
      startMs: 20,
      endMs: 3420,
      speaker: 'Michael Kennedy',
      text: 'Your cloud SSD is sitting there, bored, and it would like a job.',
    })
    expect(segments[6]).toMatchObject({ speaker: null, text: 'Talk Python To Me, yeah, we ready to roll.' })
  })

  test('Whisper "#" comment lines before the first SRT cue are ignored and leading spaces trimmed', () => {
    const segments = parseFile(BORNHACK_EN)
    expect(segments[0]!.text).toBe('Karina Haupt will talk about how to properly open source source code.')
    expect(segments.some((s) => s.text.includes('Transcribed') || s.text.startsWith('#'))).toBe(false)
  })

  test('Danish æøå survive decoding intact', () => {
    const segments = parseFile(BORNHACK_DA)
    expect(segments[0]!.text).toBe('Hvad er din rejse igennem det her GDPR?')
    expect(segments.find((s) => s.startMs === 25340)!.text).toBe('Eller rettere, det gør jeg ikke i dag.')
    const all = segments.map((s) => s.text).join(' ')
    for (const letter of ['æ', 'ø', 'å']) expect(all).toContain(letter)
    expect(all).not.toContain('\ufffd')
  })

  test('Japanese text without spaces survives intact and lines up with the English track', () => {
    const ja = parseFile('videojs__captions.ja.vtt')
    expect(ja[0]!.text).toBe('左に見えるのは…')
    expect(ja.at(-1)!.text).toBe('…あるって')
    expect(ja.map((s) => s.text).join('')).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)
  })

  test('multi-line cues are joined with single spaces', () => {
    const sintel = parseFile('meyer1994-srt__sintel_en.srt')
    expect(sintel[2]!.text).toBe("You're a fool for traveling alone, so completely unprepared.")
  })

  test('chapters track: NOTE lines skipped, cue ids not mistaken for text', () => {
    expect(parseFile('videojs__chapters.en.vtt').map((s) => s.text)).toEqual([
      'Prologue',
      'Switchboard trap',
      'Telephone/Lecture',
      'Typewriter',
      'Proog shows Emo stuff',
      'Which way',
      'Emo flips out',
      'Emo creates',
      'Closing credits',
    ])
  })

  test('descriptions track: CRLF and header metadata lines after WEBVTT are tolerated', () => {
    const segments = parseFile('videojs__descriptions.en.vtt')
    expect(segments[0]!.text).toBe('The orange open movie project presents')
    expect(segments.some((s) => s.text.includes('License') || s.text.includes('\r'))).toBe(false)
  })

  test('ExoPlayer styles file: STYLE and NOTE blocks skipped, cue ids dropped, first voice wins', () => {
    expect(parseFile('exoplayer__with_css_styles.vtt')).toEqual([
      { startMs: 0, endMs: 1234, speaker: null, text: 'This is the first subtitle.' },
      { startMs: 2345, endMs: 3456, speaker: null, text: 'This is the second subtitle.' },
      { startMs: 20000, endMs: 21000, speaker: 'Mary', text: 'This is a reference by element' },
      { startMs: 25000, endMs: 28000, speaker: 'LaGord', text: "You are an idiot You don't have the guts" },
    ])
  })

  test('ExoPlayer tags file: mis-nested and class tags stripped, entities decoded', () => {
    expect(parseFile('exoplayer__with_tags.vtt').map((s) => s.text)).toEqual([
      'This is the first subtitle.',
      'This is the second subtitle.',
      'This is the third subtitle.',
      'This is the <fourth> &subtitle.',
    ])
  })

  test('ExoPlayer SRT: ASS override tags stripped, a spaced "{ \\an2}" kept as text, 3-digit seconds read', () => {
    const segments = parseFile('exoplayer__typical_with_tags.srt')
    expect(segments[0]!.text).toBe('This is the first subtitle.')
    expect(segments[1]!.text).toBe('This is the second subtitle. Second subtitle with second line.')
    expect(segments[3]!.text).toBe('This { \\an2} is not a valid tag due to the space after the opening bracket.')
    expect(segments[4]).toEqual({
      startMs: 13567,
      endMs: 14901,
      speaker: null,
      text: 'This is the fifth subtitle with multiple valid tags.',
    })
  })

  test('the .xml.static sample parses as youtube_xml, dropping its empty cue', () => {
    const bytes = bytesOf(YOUTUBE_XML)
    expect(detectFormat(YOUTUBE_XML, 'text/xml', bytes)).toBe('youtube_xml')
    expect(parseTranscript('youtube_xml', decodeTranscript(bytes))).toEqual([
      { startMs: 0, endMs: 1540, speaker: null, text: 'Hey, this is just a test' },
      { startMs: 1540, endMs: 5700, speaker: null, text: 'this is not the original transcript' },
      { startMs: 5700, endMs: 8939, speaker: null, text: 'just something shorter, I made up for testing' },
    ])
  })
})

describe('BOM and line-ending variants', () => {
  const encoder = new TextEncoder()
  const BOM = [0xef, 0xbb, 0xbf]
  const variants: Record<string, (lf: string) => Uint8Array> = {
    'UTF-8 BOM': (lf) => new Uint8Array([...BOM, ...encoder.encode(lf)]),
    CRLF: (lf) => encoder.encode(lf.replaceAll('\n', '\r\n')),
    'BOM + CRLF': (lf) => new Uint8Array([...BOM, ...encoder.encode(lf.replaceAll('\n', '\r\n'))]),
    'old Mac CR': (lf) => encoder.encode(lf.replaceAll('\n', '\r')),
    'UTF-16LE with BOM': (lf) => utf16le(lf.replaceAll('\n', '\r\n')),
  }
  const files = [
    TALK_PYTHON,
    BORNHACK_DA,
    'missing-semester__qa.sbv',
    'videojs__captions.ja.vtt',
    'meyer1994-srt__sintel_en.srt',
    'videojs__descriptions.en.vtt',
    YOUTUBE_XML,
  ]

  for (const file of files) {
    for (const [name, make] of Object.entries(variants)) {
      test(`${file} as ${name} gives the same segments as the clean LF file`, () => {
        // The clean equivalent: LF only, no BOM (two of the files ship with CRLF).
        const clean = new TextDecoder()
          .decode(bytesOf(file))
          .replace(/^\ufeff/, '')
          .replace(/\r\n?/g, '\n')
        expect(clean).not.toContain('\r')
        const format = detectFormat(file, 'text/xml', encoder.encode(clean))
        const variant = make(clean)
        expect(variant).not.toEqual(encoder.encode(clean))
        expect(detectFormat(file, 'text/xml', variant)).toBe(format)
        expect(parseTranscript(format, decodeTranscript(variant))).toEqual(parseTranscript(format, clean))
      })
    }
  }
})

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2)
  out[0] = 0xff
  out[1] = 0xfe
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    out[2 + i * 2] = unit & 0xff
    out[3 + i * 2] = unit >> 8
  }
  return out
}
