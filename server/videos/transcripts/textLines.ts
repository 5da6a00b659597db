// Splits normalised text into lines for the line-based parsers, refusing input that
// cannot be a transcript before any parser sees it: NUL characters mean binary data,
// and a megabyte-long "line" means a minified blob or junk, not captions.
import { TranscriptParseError } from './transcriptParseError.ts'

export function textLines(text: string, maxLineLength: number): string[] {
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.includes('\u0000')) throw new TranscriptParseError(i + 1, 'contains a NUL character; this looks like binary data, not text')
    if (line.length > maxLineLength) {
      throw new TranscriptParseError(i + 1, `line is ${line.length} characters long; the limit is ${maxLineLength}`)
    }
  }
  return lines
}

/** Text lines carry a trailing space or tab often enough that blank means "only whitespace". */
export function isBlank(line: string): boolean {
  return line.trim() === ''
}

/** 1-based line of a character offset, for parsers that report offsets. */
export function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}
