import { describe, expect, test } from 'bun:test'
import { TranscriptParseError, decodeTranscript, parseTranscript } from './parseTranscript.ts'

describe('decodeTranscript', () => {
  test('strips a UTF-8 BOM and normalises CRLF and CR to LF', () => {
    expect(decodeTranscript(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x62, 0x0d, 0x63]))).toBe('a\nb\nc')
  })

  test('decodes UTF-16 when a BOM announces it', () => {
    expect(decodeTranscript(new Uint8Array([0xfe, 0xff, 0x00, 0xe6, 0x00, 0x0d, 0x00, 0x0a, 0x65, 0xe5]))).toBe('æ\n日')
  })

  test('refuses bytes that are not valid UTF-8 without guessing a line', () => {
    try {
      decodeTranscript(new Uint8Array([0x57, 0x45, 0x42, 0x0a, 0xc3, 0x28]))
      throw new Error('expected an error')
    } catch (error) {
      expect(error).toBeInstanceOf(TranscriptParseError)
      expect((error as TranscriptParseError).line).toBeNull()
      expect((error as TranscriptParseError).reason).toBe('not valid UTF-8 text')
      expect((error as TranscriptParseError).status).toBe(422)
    }
  })

  test('zero bytes decode to nothing and then parse as an empty transcript', () => {
    expect(decodeTranscript(new Uint8Array())).toBe('')
    for (const format of ['vtt', 'srt', 'sbv', 'youtube_xml', 'youtube_json3', 'text'] as const) {
      expect(() => parseTranscript(format, '')).toThrow('Empty transcript')
    }
  })
})
