// Public entry point for transcript parsing: every supported format in, normalised
// segments out, or a TranscriptParseError (422) that names the offending line.
// Typical use: parseTranscript(detectFormat(name, type, bytes), decodeTranscript(bytes)).
import { normaliseText } from './decodeTranscript.ts'
import { parsePlainText } from './plainText.ts'
import { parseSbv } from './sbv.ts'
import { DEFAULT_MAX_LINE_LENGTH, type ParseOptions, type Segment, type TranscriptFormat } from './segment.ts'
import { parseSrt } from './srt.ts'
import { textLines } from './textLines.ts'
import { emptyTranscriptError } from './transcriptParseError.ts'
import { parseWebVtt } from './webvtt.ts'
import { parseYoutubeJson3 } from './youtubeJson3.ts'
import { parseYoutubeXml } from './youtubeXml.ts'

export type { ParseOptions, Segment, TranscriptFormat } from './segment.ts'
export { TranscriptParseError } from './transcriptParseError.ts'
export { decodeTranscript } from './decodeTranscript.ts'
export { detectFormat } from './detectFormat.ts'

export function parseTranscript(format: TranscriptFormat, text: string, options: ParseOptions = {}): Segment[] {
  const normalised = normaliseText(text)
  if (normalised.trim() === '') throw emptyTranscriptError()
  const segments = parseAs(format, normalised, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH)
  if (segments.length === 0) throw emptyTranscriptError()
  return segments
}

function parseAs(format: TranscriptFormat, text: string, maxLineLength: number): Segment[] {
  switch (format) {
    case 'vtt':
      return parseWebVtt(textLines(text, maxLineLength))
    case 'srt':
      return parseSrt(textLines(text, maxLineLength))
    case 'sbv':
      return parseSbv(textLines(text, maxLineLength))
    case 'text':
      return parsePlainText(textLines(text, maxLineLength))
    // YouTube serves XML and JSON on one or a few very long lines, so the line
    // limit does not apply; the upload size limit bounds them instead.
    case 'youtube_xml':
      return parseYoutubeXml(text)
    case 'youtube_json3':
      return parseYoutubeJson3(text)
    default: {
      const unknown: never = format
      throw new TypeError(`unknown transcript format ${String(unknown)}`)
    }
  }
}
