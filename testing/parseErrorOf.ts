// Test helper: the TranscriptParseError a parse throws (fails if it throws nothing or something else).
import { TranscriptParseError } from '../server/videos/transcripts/transcriptParseError.ts'

export function parseErrorOf(run: () => unknown): TranscriptParseError {
  try {
    run()
  } catch (error) {
    if (error instanceof TranscriptParseError) return error
    throw error
  }
  throw new Error('expected a TranscriptParseError')
}
