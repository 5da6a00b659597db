// Decides which parser an upload goes to, from its name, its declared type and its
// first bytes, and refuses (415) what is not a transcript at all. Policy:
//   - binary content (NULs, control bytes, known binary signatures) is refused;
//   - the extension decides; an unknown extension falls back to a specific declared
//     content type, and otherwise is refused;
//   - the content must not contradict the format: XML/JSON where captions were
//     promised (or the reverse) is refused, but a recognisable caption format under
//     the wrong caption extension (SRT saved as .vtt, a .txt of SRT) is parsed as
//     what it is, because that mislabelling is common and harmless.
import { UnsupportedMediaTypeError } from '../../platform/errors.ts'
import type { TranscriptFormat } from './segment.ts'

const BY_EXTENSION: Record<string, TranscriptFormat> = {
  vtt: 'vtt',
  webvtt: 'vtt',
  srt: 'srt',
  sbv: 'sbv',
  xml: 'youtube_xml',
  srv1: 'youtube_xml',
  srv3: 'youtube_xml',
  json: 'youtube_json3',
  json3: 'youtube_json3',
  txt: 'text',
  text: 'text',
}

/** Every file extension a transcript upload is accepted with (the web app's drop zone lists them). */
export const TRANSCRIPT_EXTENSIONS = Object.keys(BY_EXTENSION)

const BY_CONTENT_TYPE: Record<string, TranscriptFormat> = {
  'text/vtt': 'vtt',
  'application/x-subrip': 'srt',
  'application/x-srt': 'srt',
  'text/srt': 'srt',
  'text/x-srt': 'srt',
  'application/xml': 'youtube_xml',
  'text/xml': 'youtube_xml',
  'application/json': 'youtube_json3',
}

// text/plain says nothing about the format, so it only counts for names without an extension.
const GENERIC_TEXT = 'text/plain'

type ContentKind = 'vtt' | 'srt' | 'sbv' | 'xml' | 'json' | 'empty' | null

const SNIFF_BYTES = 8192

export function detectFormat(filename: string, contentType: string | null, bytes: Uint8Array): TranscriptFormat {
  const binary = binarySignature(bytes)
  if (binary) throw new UnsupportedMediaTypeError(`"${filename}" is not a text transcript: ${binary}.`)

  const extension = extensionOf(filename)
  const mediaType = contentType === null || contentType === undefined ? null : contentType.split(';')[0]!.trim().toLowerCase()
  const named =
    (extension && BY_EXTENSION[extension]) ??
    (mediaType && BY_CONTENT_TYPE[mediaType]) ??
    (extension === null && mediaType === GENERIC_TEXT ? 'text' : undefined)
  const kind = sniff(bytes)
  if (!named) {
    if (extension === null && (kind === 'vtt' || kind === 'srt' || kind === 'sbv')) return kind
    throw new UnsupportedMediaTypeError(
      `"${filename}" is not a supported transcript file. Use .vtt, .srt, .sbv, YouTube .xml or .json3, or .txt.`,
    )
  }
  return reconcile(filename, named, kind)
}

function reconcile(filename: string, named: TranscriptFormat, kind: ContentKind): TranscriptFormat {
  if (named === 'youtube_xml' || named === 'youtube_json3') {
    const expected = named === 'youtube_xml' ? 'xml' : 'json'
    if (kind !== expected && kind !== 'empty') throw mismatch(filename, expected.toUpperCase(), kind)
    return named
  }
  if (kind === 'xml' || kind === 'json') throw mismatch(filename, named === 'text' ? 'plain text' : 'captions', kind)
  // An empty file is not a type error: the parser reports it as an empty transcript.
  return kind === null || kind === 'empty' ? named : kind
}

function mismatch(filename: string, expected: string, kind: ContentKind): UnsupportedMediaTypeError {
  const found =
    kind === null || kind === 'empty'
      ? 'something else'
      : kind === 'xml' || kind === 'json'
        ? kind.toUpperCase()
        : `${kind.toUpperCase()} captions`
  return new UnsupportedMediaTypeError(`"${filename}" should contain ${expected} but its content looks like ${found}.`)
}

function extensionOf(filename: string): string | null {
  const base = filename.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? null : base.slice(dot + 1).toLowerCase()
}

/** Why the bytes are binary, or null when they look like text. */
function binarySignature(bytes: Uint8Array): string | null {
  // UTF-16 text is full of NULs; its BOM is what tells it apart from binary.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return null
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'it is a PDF document'
  const sample = bytes.subarray(0, SNIFF_BYTES)
  let control = 0
  for (const b of sample) {
    if (b === 0) return 'it contains NUL bytes'
    // Tab, LF, VT, FF, CR and ESC turn up in real text files; other C0 bytes do not.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++
  }
  // A stray control byte in a hand-edited file is tolerated; binary formats have many.
  return control > Math.max(2, sample.length / 100) ? 'it contains control bytes' : null
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

function sniff(bytes: Uint8Array): ContentKind {
  const head = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : bytes[0] === 0xfe ? 'utf-16be' : 'utf-8')
    .decode(bytes.subarray(0, SNIFF_BYTES))
    .replace(/^\ufeff/, '')
    .replace(/\r\n?/g, '\n')
  const start = head.trimStart()
  if (start === '') return 'empty'
  if (/^WEBVTT(?:[ \t\n]|$)/.test(start)) return 'vtt'
  if (start.startsWith('{') || start.startsWith('[')) return 'json'
  if (start.startsWith('<')) return 'xml'
  // Whisper-style "#" comment lines may precede the first SRT cue.
  const firstCue = start.replace(/^(?:#[^\n]*\n\s*)*/, '')
  if (/^(?:\d+[ \t]*\n)?[ \t]*\d+:\d{1,2}:\d{2,3}[,.]\d{3}[ \t]*-->/.test(firstCue)) return 'srt'
  if (/^\d+:\d{1,2}:\d{2}\.\d{3},\d+:\d{1,2}:\d{2}\.\d{3}[ \t]*\n/.test(start)) return 'sbv'
  return null
}
