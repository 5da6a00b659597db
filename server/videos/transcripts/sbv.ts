// YouTube SBV (SubViewer) into segments: "0:00:00.599,0:00:04.160" timing lines,
// multi-line text, no cue numbers, blocks separated by blank lines. Too small a
// format for a package; see webvtt.ts for why we keep line numbers.
import { cleanCueText } from './cleanCueText.ts'
import type { Segment } from './segment.ts'
import { isBlank } from './textLines.ts'
import { assertOrdered, clockToMs, excerpt } from './timestamp.ts'
import { TranscriptParseError } from './transcriptParseError.ts'

const SBV_CLOCK = /^(\d+):(\d{1,2}):(\d{2})\.(\d{3})$/
const TIMING = /^\s*(\d+:\d{1,2}:\d{2}\.\d{3})\s*,\s*(\d+:\d{1,2}:\d{2}\.\d{3})\s*$/
// Starts like a timing line, so a bad timestamp in it gets a timestamp error.
const TIMING_START = /^\s*\d[\d:.]*\s*,/

export function parseSbv(lines: string[]): Segment[] {
  const segments: Segment[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (isBlank(line)) {
      i++
      continue
    }
    const lineNo = i + 1
    if (!TIMING_START.test(line)) {
      throw new TranscriptParseError(lineNo, `expected a timing line like "0:00:01.000,0:00:04.000", found "${excerpt(line)}"`)
    }
    const comma = line.indexOf(',')
    const start = line.slice(0, comma).trim()
    const end = line.slice(comma + 1).trim()
    const startMs = clockToMs(start, SBV_CLOCK, lineNo)
    const endMs = clockToMs(end, SBV_CLOCK, lineNo)
    assertOrdered(startMs, endMs, start, end, lineNo)

    let j = i + 1
    const text: string[] = []
    while (j < lines.length && !isBlank(lines[j]!) && !TIMING.test(lines[j]!)) text.push(lines[j++]!)
    i = j

    const clean = cleanCueText(text.join('\n'))
    if (clean !== '') segments.push({ startMs, endMs, speaker: null, text: clean })
  }
  return segments
}
