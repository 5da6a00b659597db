import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeTranscript, detectFormat, parseTranscript } from './parseTranscript.ts'
import { detectTextLanguage, filenameLanguage, transcriptLanguage, webVttHeaderLanguage } from './transcriptLanguage.ts'

const DATASETS = join(import.meta.dir, '../../../../shared/datasets/transcripts')

function languageOf(name: string, asName = name): string | null {
  const bytes = new Uint8Array(readFileSync(join(DATASETS, name)))
  const raw = decodeTranscript(bytes)
  const segments = parseTranscript(detectFormat(asName, null, bytes), raw)
  return transcriptLanguage({ filename: asName, raw, texts: segments.map((s) => s.text) })
}

describe('transcriptLanguage on real files', () => {
  test('finds English, Danish and Japanese from the words, whatever the file is called', () => {
    expect(languageOf('bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt')).toBe('en')
    expect(languageOf('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')).toBe('en')
    expect(languageOf('missing-semester__qa.sbv')).toBe('en')
    // Its name says "eng"; its words are Danish.
    expect(languageOf('bornhacksubs__import-4193-eng-Brug_GDPR_til_at_tvinge_firmaer_til_at_respektere_dit_privatliv_hd.mp4.srt')).toBe(
      'da',
    )
    expect(languageOf('videojs__captions.ja.vtt', 'captions.vtt')).toBe('ja')
  })
})

describe('transcriptLanguage hints', () => {
  test('a WebVTT Language header wins over the text', () => {
    const vtt = 'WEBVTT\nKind: captions\nLanguage: pt-BR\n\n00:00.000 --> 00:01.000\nhello'
    expect(webVttHeaderLanguage(vtt)).toBe('pt-BR')
    expect(transcriptLanguage({ filename: 'a.vtt', raw: vtt, texts: ['This is clearly English text. '.repeat(20)] })).toBe('pt-BR')
    // Only in the header: a cue saying "Language: fr" is not metadata.
    expect(webVttHeaderLanguage('WEBVTT\n\n00:00.000 --> 00:01.000\nLanguage: fr')).toBeNull()
  })

  test('a code before the extension is a hint only when it names a language', () => {
    expect(filenameLanguage('captions.ja.vtt')).toBe('ja')
    expect(filenameLanguage('sintel_en.srt')).toBe('en')
    expect(filenameLanguage('talk.pt-BR.srt')).toBe('pt-BR')
    expect(filenameLanguage('talk_hd.srt')).toBeNull()
    expect(filenameLanguage('talk.srt')).toBeNull()
  })

  test('too little text decides nothing; the file name then does', () => {
    expect(detectTextLanguage('Thank you.')).toBeNull()
    expect(transcriptLanguage({ filename: 'short.da.srt', raw: '', texts: ['Tak.'] })).toBe('da')
    expect(transcriptLanguage({ filename: 'short.srt', raw: '', texts: ['Tak.'] })).toBeNull()
  })
})
