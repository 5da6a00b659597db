// SubRip (.srt) into segments: a line state machine, for the same reason as
// webvtt.ts (no package reports the line of a bad cue). Real-world SRT is loose, so
// this accepts: single-digit hours, "." or "," before the millis, 3-digit seconds
// (00:00:013,567, seen in ExoPlayer's fixtures), "#" comment lines before the first
// cue (Whisper exports), missing cue numbers, missing blank lines where the next
// cue's number + timing make the boundary unambiguous, ASS {\an8} and HTML tags.
import { cleanCueText } from './cleanCueText.ts'
import type { Segment } from './segment.ts'
import { isBlank } from './textLines.ts'
import { assertOrdered, clockToMs, excerpt, looksLikeArrowTiming, splitArrowLine } from './timestamp.ts'
import { TranscriptParseError } from './transcriptParseError.ts'

const SRT_CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{2,3})[,.](\d{3})$/
const CUE_NUMBER = /^\s*\d+\s*$/

export function parseSrt(lines: string[]): Segment[] {
  const segments: Segment[] = []
  let seenCue = false
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (isBlank(line) || (!seenCue && line.trimStart().startsWith('#'))) {
      i++
      continue
    }
    const timingIndex = findTimingLine(lines, i)
    const lineNo = timingIndex + 1
    const { start, end } = splitArrowLine(lines[timingIndex]!, lineNo)
    const startMs = clockToMs(start, SRT_CLOCK, lineNo)
    const endMs = clockToMs(end, SRT_CLOCK, lineNo)
    assertOrdered(startMs, endMs, start, end, lineNo)
    seenCue = true

    let j = timingIndex + 1
    const text: string[] = []
    while (j < lines.length && !isBlank(lines[j]!) && !startsNextCue(lines, j)) text.push(lines[j++]!.trim())
    i = j

    const clean = cleanCueText(text.join('\n'))
    if (clean !== '') segments.push({ startMs, endMs, speaker: null, text: clean })
  }
  return segments
}

function findTimingLine(lines: string[], i: number): number {
  const line = lines[i]!
  if (line.includes('-->')) return i
  if (!CUE_NUMBER.test(line)) {
    throw new TranscriptParseError(
      i + 1,
      `expected a cue number or a timing line like "00:00:01,000 --> 00:00:04,000", found "${excerpt(line)}"`,
    )
  }
  const next = lines[i + 1]
  if (next !== undefined && next.includes('-->')) return i + 1
  const at = next === undefined || isBlank(next) ? i : i + 1
  throw new TranscriptParseError(
    at + 1,
    `expected a timing line like "00:00:01,000 --> 00:00:04,000" after cue number ${line.trim()}` +
      (at === i ? '' : `, found "${excerpt(next!)}"`),
  )
}

/** A missing blank line is tolerated only where the next cue is unmistakable. */
function startsNextCue(lines: string[], j: number): boolean {
  if (looksLikeArrowTiming(lines[j]!)) return true
  const next = lines[j + 1]
  return CUE_NUMBER.test(lines[j]!) && next !== undefined && looksLikeArrowTiming(next)
}
