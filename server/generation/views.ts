// Rows to API shapes: every cited source is built here, from a retrieved passage.
import type { SourceView } from './model.ts'

const SNIPPET_CHARS = 280

/** A passage shortened for display, cut at a word boundary. */
export function snippetOf(text: string): string {
  return text.length > SNIPPET_CHARS ? text.slice(0, SNIPPET_CHARS).replace(/\s+\S*$/, '') + '…' : text
}

/** What a source is made from: a retrieved passage with its moment already linked (see retrieval's passageLink). */
export type SourcePassage = Pick<
  SourceView,
  | 'chunkId'
  | 'videoId'
  | 'videoTitle'
  | 'startMs'
  | 'endMs'
  | 'startSeconds'
  | 'endSeconds'
  | 'speakers'
  | 'deepLink'
  | 'momentStartMs'
  | 'momentEndMs'
  | 'momentSeconds'
> & { text: string }

export function toSourceView(passage: SourcePassage, n: number): SourceView {
  return {
    n,
    chunkId: passage.chunkId,
    videoId: passage.videoId,
    videoTitle: passage.videoTitle,
    startMs: passage.startMs,
    endMs: passage.endMs,
    startSeconds: passage.startSeconds,
    endSeconds: passage.endSeconds,
    momentStartMs: passage.momentStartMs ?? null,
    momentEndMs: passage.momentEndMs ?? null,
    momentSeconds: passage.momentSeconds ?? null,
    speakers: passage.speakers,
    deepLink: passage.deepLink,
    snippet: snippetOf(passage.text),
  }
}
