// WebVTT (https://www.w3.org/TR/webvtt1/) into segments: a small line state machine.
//
// Why not a package: webvtt-parser (w3c) reports line numbers but is VTT-only and
// builds a render tree we would throw away; media-captions and
// @plussub/srt-vtt-parser drop or stop on bad cues without telling us the line;
// `subtitle` is stream-based and loses line numbers. Uploaders need "Line 12: ..."
// so we parse the block structure ourselves and test it against real files.
import { decodeHTMLStrict } from 'entities'
import { cleanCueText, collapseWhitespace } from './cleanCueText.ts'
import type { Segment } from './segment.ts'
import { isBlank } from './textLines.ts'
import { assertOrdered, clockToMs, excerpt, looksLikeArrowTiming, splitArrowLine } from './timestamp.ts'
import { TranscriptParseError } from './transcriptParseError.ts'

// Hours are optional (mm:ss.ttt). A comma before the millis is wrong per spec but
// common from converters, and unambiguous.
const VTT_CLOCK = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/
const HEADER = /^WEBVTT(?:[ \t].*)?$/
const NON_CUE_BLOCK = /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/
// <v Name>, <v.loud Name>, <v  Name> (extra spaces); the name runs to ">".
const VOICE = /<v(?:\.[^\s>]*)?[ \t]+([^>]*)>/

export function parseWebVtt(lines: string[]): Segment[] {
  if (!HEADER.test(lines[0]!)) {
    throw new TranscriptParseError(1, `expected "WEBVTT" on the first line, found "${excerpt(lines[0]!)}"`)
  }
  let i = 1
  // Header metadata (License:, Kind:, ...) runs to the first blank line. Some writers
  // omit that blank line, so a timing line also ends the header.
  while (i < lines.length && !isBlank(lines[i]!) && !lines[i]!.includes('-->')) i++

  const segments: Segment[] = []
  while (i < lines.length) {
    const first = lines[i]!
    if (isBlank(first)) {
      i++
      continue
    }
    if (!first.includes('-->') && NON_CUE_BLOCK.test(first)) {
      while (i < lines.length && !isBlank(lines[i]!)) i++
      continue
    }
    const timingIndex = findTimingLine(lines, i)
    const lineNo = timingIndex + 1
    const { start, end } = splitArrowLine(lines[timingIndex]!, lineNo)
    const startMs = clockToMs(start, VTT_CLOCK, lineNo)
    const endMs = clockToMs(end, VTT_CLOCK, lineNo)
    assertOrdered(startMs, endMs, start, end, lineNo)

    let j = timingIndex + 1
    const payload: string[] = []
    while (j < lines.length && !isBlank(lines[j]!) && !looksLikeArrowTiming(lines[j]!)) payload.push(lines[j++]!)
    i = j

    const raw = payload.join('\n')
    const text = cleanCueText(raw)
    if (text !== '') segments.push({ startMs, endMs, speaker: voiceOf(raw), text })
  }
  return segments
}

/** A cue block is an optional id line then the timing line; anything else is an error. */
function findTimingLine(lines: string[], i: number): number {
  if (lines[i]!.includes('-->')) return i
  const next = lines[i + 1]
  if (next !== undefined && next.includes('-->')) return i + 1
  // With a one-word first line (a cue id) the timing belonged on the next line.
  const blameNext = next !== undefined && !isBlank(next) && /^\S+$/.test(lines[i]!.trim())
  const at = blameNext ? i + 1 : i
  throw new TranscriptParseError(at + 1, `expected a cue timing line like "00:00:01.000 --> 00:00:04.000", found "${excerpt(lines[at]!)}"`)
}

/** The first voice in the cue: when the speaker changes mid-cue, the cue starts with the first. */
function voiceOf(raw: string): string | null {
  const m = VOICE.exec(raw)
  if (!m) return null
  const name = collapseWhitespace(decodeHTMLStrict(m[1]!))
  return name === '' ? null : name
}
