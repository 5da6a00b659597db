// Shapes shared by the pure retrieval modules (chunking, embedding).
// Segment is structurally identical to the transcript parser's cue type, so
// parsed transcripts flow into chunkSegments without a conversion step.

/** One cue of a video, in playback order. Plain-text transcripts have no timing. */
export type Segment = {
  startMs: number | null
  endMs: number | null
  speaker: string | null
  text: string
}

/** A retrievable passage: a contiguous run of cues, with the moment it covers. */
export type Chunk = {
  ordinal: number
  text: string
  startMs: number | null
  endMs: number | null
  /** Distinct named speakers, in order of first appearance. */
  speakers: string[]
  /** Index of the first cue in the input, inclusive. */
  segmentStart: number
  /** Index of the last cue in the input, inclusive. */
  segmentEnd: number
  wordCount: number
}

export type ChunkOptions = {
  targetWords: number
  minWords: number
  maxWords: number
  /** Share of a chunk's words repeated at the start of the next one. */
  overlapRatio: number
  /** Longest stretch of playback one chunk may cover (unless a single cue is longer). */
  maxDurationMs: number
}

/** Anything that turns texts into fixed-size vectors (local or remote). */
export type EmbeddingProvider = {
  name: string
  dimensions: number
  /** Knows only shared words and word pieces (the local hashing embedder), not meaning: fused differently. */
  lexical?: boolean
  embed(texts: string[]): Promise<number[][]>
}
