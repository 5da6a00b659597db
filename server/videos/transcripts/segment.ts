// The normalised shape every transcript format is parsed into. Times are integer
// milliseconds; formats without timing (plain text) give null times.

export type TranscriptFormat = 'vtt' | 'srt' | 'sbv' | 'youtube_xml' | 'youtube_json3' | 'text'

export type Segment = {
  startMs: number | null
  endMs: number | null
  speaker: string | null
  text: string
}

export type ParseOptions = {
  /** Longest line accepted in line-based formats; longer means the file is not a transcript. */
  maxLineLength?: number
}

export const DEFAULT_MAX_LINE_LENGTH = 10_000
