// Plain text has no timing: one segment per paragraph (lines separated by blank
// lines), so the transcript viewer and the chunker keep the author's grouping.
import { collapseWhitespace } from './cleanCueText.ts'
import type { Segment } from './segment.ts'
import { isBlank } from './textLines.ts'

export function parsePlainText(lines: string[]): Segment[] {
  const segments: Segment[] = []
  let paragraph: string[] = []
  const flush = () => {
    // No markup decoding: a .txt is taken literally, "&amp;" and all.
    const text = collapseWhitespace(paragraph.join(' '))
    if (text !== '') segments.push({ startMs: null, endMs: null, speaker: null, text })
    paragraph = []
  }
  for (const line of lines) {
    if (isBlank(line)) flush()
    else paragraph.push(line)
  }
  flush()
  return segments
}
