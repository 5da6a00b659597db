// YouTube json3 ({"events":[{"tStartMs","dDurationMs","segs":[{"utf8"}]}]}) into
// segments. JSON.parse does the parsing; Bun's errors carry no position, so
// jsonc-parser (strict settings) is used only to find the line of a syntax error or
// of a field with the wrong shape. The payload is outside data: read field by field.
import { type JSONPath, type ParseError, findNodeAtLocation, parseTree, printParseErrorCode } from 'jsonc-parser'
import { collapseWhitespace } from './cleanCueText.ts'
import type { Segment } from './segment.ts'
import { lineAt } from './textLines.ts'
import { TranscriptParseError } from './transcriptParseError.ts'

export function parseYoutubeJson3(json: string): Segment[] {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch (cause) {
    throw syntaxError(json, cause)
  }
  const fail = (path: JSONPath, reason: string) => new TranscriptParseError(lineOfPath(json, path), reason)

  if (!isObject(doc) || !Array.isArray(doc.events)) throw fail([], 'expected an object with an "events" array')
  const segments: Segment[] = []
  doc.events.forEach((event: unknown, i: number) => {
    const at: JSONPath = ['events', i]
    if (!isObject(event)) throw fail(at, `events[${i}] is not an object`)
    // Events without segs are window and style definitions, not speech.
    if (event.segs === undefined) return
    if (!Array.isArray(event.segs)) throw fail([...at, 'segs'], `events[${i}].segs is not an array`)
    const startMs = event.tStartMs
    if (!isMs(startMs)) throw fail([...at, 'tStartMs'], `events[${i}].tStartMs must be a non-negative number of milliseconds`)
    const duration = event.dDurationMs
    if (duration !== undefined && !isMs(duration)) {
      throw fail([...at, 'dDurationMs'], `events[${i}].dDurationMs must be a non-negative number of milliseconds`)
    }
    const parts = event.segs.map((seg: unknown, k: number) => {
      if (!isObject(seg) || typeof seg.utf8 !== 'string') throw fail([...at, 'segs', k], `events[${i}].segs[${k}].utf8 must be a string`)
      return seg.utf8
    })
    // Auto-captions carry word-level segs with their own leading spaces; "\n"-only
    // segs are line breaks between caption rows.
    const text = collapseWhitespace(parts.filter((p) => p !== '\n').join(''))
    if (text === '') return
    segments.push({
      startMs: Math.round(startMs),
      endMs: duration === undefined ? null : Math.round(startMs + duration),
      speaker: null,
      text,
    })
  })
  return segments
}

function syntaxError(json: string, cause: unknown): TranscriptParseError {
  const errors: ParseError[] = []
  parseTree(json, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
  const first = errors[0]
  const message = cause instanceof Error ? cause.message.replace(/^JSON Parse error:\s*/, '') : String(cause)
  if (!first) return new TranscriptParseError(null, `not valid JSON: ${message}`)
  return new TranscriptParseError(lineAt(json, first.offset), `not valid JSON: ${printParseErrorCode(first.error)} (${message})`)
}

function lineOfPath(json: string, path: JSONPath): number | null {
  const root = parseTree(json)
  const node = root && findNodeAtLocation(root, path)
  return node ? lineAt(json, node.offset) : null
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
