import { describe, expect, test } from 'bun:test'
import { UnsupportedMediaTypeError } from '../../platform/errors.ts'
import { detectFormat } from './parseTranscript.ts'

const text = (s: string) => new TextEncoder().encode(s)
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01,
])
const SRT = '1\n00:00:01,000 --> 00:00:02,000\nHi\n'

describe('detectFormat', () => {
  test('the extension picks the format', () => {
    expect(detectFormat('talk.vtt', null, text('WEBVTT\n\n'))).toBe('vtt')
    expect(detectFormat('talk.SRT', 'application/octet-stream', text(SRT))).toBe('srt')
    expect(detectFormat('qa.sbv', null, text('0:00:00.599,0:00:04.160\nHi\n'))).toBe('sbv')
    expect(detectFormat('captions.xml', null, text('<?xml version="1.0"?><transcript/>'))).toBe('youtube_xml')
    expect(detectFormat('captions.json3', null, text('{"events":[]}'))).toBe('youtube_json3')
    expect(detectFormat('notes.txt', 'text/plain', text('Just words.'))).toBe('text')
  })

  test('an unknown extension falls back to a specific content type', () => {
    expect(detectFormat('transcript.xml.static', 'text/xml; charset=utf-8', text('<transcript/>'))).toBe('youtube_xml')
    expect(detectFormat('captions', 'text/vtt', text('WEBVTT\n'))).toBe('vtt')
  })

  test('a name without extension is sniffed, or taken as text when declared text/plain', () => {
    expect(detectFormat('captions', null, text(SRT))).toBe('srt')
    expect(detectFormat('notes', 'text/plain', text('Hello'))).toBe('text')
  })

  test('PNG bytes named .vtt are refused as binary', () => {
    expect(() => detectFormat('captions.vtt', 'text/vtt', PNG)).toThrow(UnsupportedMediaTypeError)
    expect(() => detectFormat('captions.vtt', 'text/vtt', PNG)).toThrow('NUL bytes')
  })

  test('text with NUL bytes or many control bytes is refused', () => {
    expect(() => detectFormat('a.srt', null, text(`1\n00:00:01,000 --> 00:00:02,000\nH\u0000i`))).toThrow(UnsupportedMediaTypeError)
    expect(() => detectFormat('a.txt', null, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x06, 0x08, 0x01, 0x02]))).toThrow(
      'control bytes',
    )
    expect(() => detectFormat('a.txt', null, text('%PDF-1.7\n'))).toThrow('PDF')
  })

  test('unknown extensions without a usable content type are refused', () => {
    expect(() => detectFormat('movie.mp4', 'video/mp4', text('WEBVTT\n'))).toThrow(UnsupportedMediaTypeError)
    expect(() => detectFormat('subs.ass', null, text('[Script Info]'))).toThrow(UnsupportedMediaTypeError)
    expect(() => detectFormat('transcript.xml.static', null, text('<transcript/>'))).toThrow(UnsupportedMediaTypeError)
  })

  test('content that contradicts the extension is refused', () => {
    expect(() => detectFormat('talk.srt', null, text('{"events": []}'))).toThrow('looks like JSON')
    expect(() => detectFormat('talk.vtt', null, text('<?xml version="1.0"?><transcript/>'))).toThrow('looks like XML')
    expect(() => detectFormat('talk.json', null, text('WEBVTT\n'))).toThrow('looks like VTT captions')
    expect(() => detectFormat('talk.xml', null, text('plain words'))).toThrow(UnsupportedMediaTypeError)
  })

  test('a recognisable caption format under the wrong caption extension is parsed as what it is', () => {
    expect(detectFormat('talk.vtt', null, text(SRT))).toBe('srt')
    expect(detectFormat('talk.srt', null, text('\ufeffWEBVTT\r\n\r\n'))).toBe('vtt')
    expect(detectFormat('talk.txt', null, text('# Transcribed by Whisper\n\n1\n0:00:00,000 --> 0:00:01,000\n Hi'))).toBe('srt')
  })

  test('an empty file keeps the named format so the parser can call it empty', () => {
    expect(detectFormat('talk.json3', null, new Uint8Array())).toBe('youtube_json3')
    expect(detectFormat('talk.vtt', null, new Uint8Array())).toBe('vtt')
  })

  test('UTF-16 text with a BOM is not mistaken for binary', () => {
    expect(
      detectFormat('talk.vtt', null, new Uint8Array([0xff, 0xfe, 0x57, 0x00, 0x45, 0x00, 0x42, 0x00, 0x56, 0x00, 0x54, 0x00, 0x54, 0x00])),
    ).toBe('vtt')
  })
})
