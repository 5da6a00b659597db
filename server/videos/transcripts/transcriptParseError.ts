// A transcript that cannot be read, with the 1-based line where reading failed so
// the person uploading it can fix the file. Maps to 422 problem+json.
import { UnprocessableError } from '../../platform/errors.ts'

export class TranscriptParseError extends UnprocessableError {
  readonly line: number | null
  readonly reason: string

  constructor(line: number | null, reason: string, options: { cause?: unknown } = {}) {
    const detail = line === null ? capitalise(reason) : `Line ${line}: ${reason}`
    super('transcript_invalid', detail, { line, reason })
    this.name = 'TranscriptParseError'
    this.line = line
    this.reason = reason
    if (options.cause !== undefined) this.cause = options.cause
  }
}

export const EMPTY_TRANSCRIPT = 'empty transcript'

export function emptyTranscriptError(): TranscriptParseError {
  return new TranscriptParseError(null, EMPTY_TRANSCRIPT)
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
