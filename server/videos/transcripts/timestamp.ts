// Clock-time parsing shared by the timed text formats. Each format passes its own
// grammar; the arithmetic and the "end before start" rule are the same everywhere.
import { TranscriptParseError } from './transcriptParseError.ts'

/** Groups: hours (optional), minutes, seconds, milliseconds. */
export type ClockPattern = RegExp

export function clockToMs(raw: string, pattern: ClockPattern, line: number): number {
  const m = pattern.exec(raw)
  if (!m) throw new TranscriptParseError(line, `invalid timestamp "${raw}"`)
  const hours = m[1] === undefined ? 0 : Number(m[1])
  const minutes = Number(m[2])
  const seconds = Number(m[3])
  const millis = Number(m[4])
  if (minutes > 59 || seconds > 59) throw new TranscriptParseError(line, `invalid timestamp "${raw}": minutes and seconds must be below 60`)
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
}

export function assertOrdered(startMs: number, endMs: number, rawStart: string, rawEnd: string, line: number): void {
  if (endMs < startMs) throw new TranscriptParseError(line, `end time ${rawEnd} is before start time ${rawStart}`)
}

export type TimingLine = { start: string; end: string }

// "start --> end [settings]" as used by WebVTT and SRT; settings are ignored.
const ARROW_LINE = /^\s*(\S+?)\s*-->\s*(\S+)(?:\s.*)?$/
// Shaped like a timing line (digits before and after the arrow). Used to tell where a
// cue starts when a blank line is missing, without treating prose "A --> B" as timing.
const TIMING_SHAPE = /^\s*\d[\d:.,]*\s*-->\s*\d/

export function splitArrowLine(line: string, lineNo: number): TimingLine {
  const m = ARROW_LINE.exec(line)
  if (!m) throw new TranscriptParseError(lineNo, `malformed timing line "${excerpt(line)}"`)
  return { start: m[1]!, end: m[2]! }
}

export function looksLikeArrowTiming(line: string): boolean {
  return TIMING_SHAPE.test(line)
}

/** A short, quotable piece of an offending line for error messages. */
export function excerpt(line: string): string {
  const trimmed = line.trim()
  return trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed
}
