// Bytes of an uploaded transcript into the text the parsers expect: UTF-8 (or
// UTF-16 when a BOM says so, as Windows tools write), no BOM, "\n" line endings.
// Decoding is fatal: silently replacing bad bytes with U+FFFD would store garbage.
import { TranscriptParseError } from './transcriptParseError.ts'

export function decodeTranscript(bytes: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder(encodingOf(bytes), { fatal: true }).decode(bytes)
  } catch (cause) {
    throw new TranscriptParseError(null, 'not valid UTF-8 text', { cause })
  }
  return normaliseText(text)
}

/** Idempotent, so parseTranscript can apply it to text that did not come through here. */
export function normaliseText(text: string): string {
  return text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n')
}

function encodingOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  return 'utf-8'
}
