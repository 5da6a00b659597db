// Rows to API shapes: every cited source is built here, from a retrieved passage.
import type { MomentCue } from '../retrieval/selectMoment.ts'
import type { SourceView } from './model.ts'

const SNIPPET_CHARS = 280

/** A passage shortened for display, cut at a word boundary. */
export function snippetOf(text: string): string {
  if (text.length <= SNIPPET_CHARS) return text
  let cut = text.slice(0, SNIPPET_CHARS).replace(/\s+\S*$/, '')
  // A speaker's label with none of their words ("…\nMichael Kennedy") ends nothing: stop before it.
  const line = cut.lastIndexOf('\n')
  if (line > 0 && /^[^:\n]{1,60}:/.test(text.slice(line + 1)) && !/:\s*\S/.test(cut.slice(line + 1))) cut = cut.slice(0, line)
  return `${cut}…`
}

/**
 * A passage's snippet from its moment on (the lines that best match the
 * question, where the link opens), so a source card quotes what its link
 * plays rather than the passage's first lines, such as a podcast's "subscribe
 * and press the bell". The passage's own text is cut where the moment's
 * first cue appears in it, after the label of the speaker saying it (one of
 * `speakers`); from the passage start when the moment is there, or when the
 * cues cannot be found in the text.
 */
export function snippetAtMoment(
  text: string,
  cues: readonly MomentCue[] | undefined,
  momentStartMs: number | null | undefined,
  speakers: readonly string[] = [],
): string {
  const from = momentStartMs == null || !cues ? -1 : cues.findIndex((c) => c.startMs !== null && c.startMs >= momentStartMs)
  if (from <= 0) return snippetOf(text)
  let at = 0
  for (let i = 0; i <= from; i++) {
    const cue = cues![i]!.text.trim()
    if (!cue) continue
    const found = text.indexOf(cue, at)
    if (found < 0) return snippetOf(text)
    if (i === from) return fromOffset(text, found, speakers)
    at = found + cue.length
  }
  return snippetOf(text)
}

// A passage with several voices has a line per turn, "Name: words".
function fromOffset(text: string, at: number, speakers: readonly string[]): string {
  const line = text.lastIndexOf('\n', at - 1) + 1
  const label = /^([^:\n]{1,60}): /.exec(text.slice(line, at + 1))
  if (!label || !speakers.includes(label[1]!)) return `…${snippetOf(text.slice(at))}`
  // The moment opens the turn: the turn as it stands; else who says it, then their words.
  if (at <= line + label[0].length) return `…${snippetOf(text.slice(line))}`
  return `${label[1]}: …${snippetOf(text.slice(at))}`
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

/** `snippet`: what the source card quotes; by default the passage's beginning. */
export function toSourceView(passage: SourcePassage, n: number, snippet = snippetOf(passage.text)): SourceView {
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
    snippet,
  }
}
