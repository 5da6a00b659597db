// YouTube timedtext XML into segments. Two shapes exist in the wild:
//   format 1: <transcript><text start="1.54" dur="4.16">...</text></transcript> (seconds)
//   format 3: <timedtext format="3"><body><p t="1540" d="4160">..<s>..</s></p></body></timedtext> (ms)
// XML is parsed with fast-xml-parser (its validator gives the line of a syntax
// error). Text inside <text> is often escaped twice (&amp;#39;, &lt;i&gt;), so after
// the XML layer is decoded the result is cleaned again as cue markup.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { cleanCueText } from './cleanCueText.ts'
import type { Segment } from './segment.ts'
import { lineAt } from './textLines.ts'
import { TranscriptParseError } from './transcriptParseError.ts'

type XmlNode = Record<string, unknown>

const parser = new XMLParser({
  // Order matters for <p> with mixed text and <s> children.
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
})

const SECONDS = /^\d+(?:\.\d+)?$/
const MILLIS = /^\d+$/

export function parseYoutubeXml(xml: string): Segment[] {
  // YouTube never sends a DTD; refusing one also rules out entity-expansion bombs.
  const doctype = /<!DOCTYPE/i.exec(xml)
  if (doctype) throw new TranscriptParseError(lineAt(xml, doctype.index), 'DOCTYPE declarations are not allowed')
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new TranscriptParseError(valid.err.line ?? null, `invalid XML: ${valid.err.msg}`)

  const root = (parser.parse(xml) as XmlNode[]).find((n) => tagOf(n) !== undefined && !tagOf(n)!.startsWith('?'))
  const tag = root && tagOf(root)
  if (tag === 'transcript') return parseFormat1(xml, children(root!))
  if (tag === 'timedtext') {
    const body = children(root!).find((n) => tagOf(n) === 'body')
    return body ? parseFormat3(xml, children(body)) : []
  }
  throw new TranscriptParseError(root ? lineAt(xml, xml.indexOf(`<${tag}`)) : 1, 'expected a <transcript> or <timedtext> root element')
}

function parseFormat1(xml: string, nodes: XmlNode[]): Segment[] {
  const lines = tagLines(xml, 'text')
  return nodes
    .filter((n) => tagOf(n) === 'text')
    .flatMap((n, k) => {
      const line = lines[k] ?? null
      const startMs = seconds(attr(n, 'start'), 'start', line, true)!
      const dur = seconds(attr(n, 'dur'), 'dur', line, false)
      return segment(startMs, dur === null ? null : startMs + dur, textOf(children(n)))
    })
}

function parseFormat3(xml: string, nodes: XmlNode[]): Segment[] {
  const lines = tagLines(xml, 'p')
  return nodes
    .filter((n) => tagOf(n) === 'p')
    .flatMap((n, k) => {
      const line = lines[k] ?? null
      const startMs = millis(attr(n, 't'), 't', line, true)!
      const dur = millis(attr(n, 'd'), 'd', line, false)
      return segment(startMs, dur === null ? null : startMs + dur, textOf(children(n)))
    })
}

function segment(startMs: number, endMs: number | null, raw: string): Segment[] {
  const text = cleanCueText(raw)
  return text === '' ? [] : [{ startMs, endMs, speaker: null, text }]
}

function seconds(value: string | undefined, name: string, line: number | null, required: boolean): number | null {
  if (value === undefined && !required) return null
  if (value === undefined || !SECONDS.test(value.trim())) throw badAttribute(name, value, line)
  return Math.round(Number(value) * 1000)
}

function millis(value: string | undefined, name: string, line: number | null, required: boolean): number | null {
  if (value === undefined && !required) return null
  if (value === undefined || !MILLIS.test(value.trim())) throw badAttribute(name, value, line)
  return Number(value)
}

function badAttribute(name: string, value: string | undefined, line: number | null): TranscriptParseError {
  return new TranscriptParseError(line, value === undefined ? `missing attribute ${name}` : `invalid ${name}="${value}"`)
}

function textOf(nodes: XmlNode[]): string {
  return nodes
    .map((n) => {
      if (typeof n['#text'] === 'string') return n['#text']
      if (tagOf(n) === 'br') return '\n'
      return textOf(children(n))
    })
    .join('')
}

function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text')
}

function children(node: XmlNode): XmlNode[] {
  const tag = tagOf(node)
  const value = tag === undefined ? undefined : node[tag]
  return Array.isArray(value) ? (value as XmlNode[]) : []
}

function attr(node: XmlNode, name: string): string | undefined {
  const attrs = node[':@'] as Record<string, unknown> | undefined
  const value = attrs?.[name]
  return typeof value === 'string' ? value : undefined
}

/** Line of each opening <tag> in document order; the parser itself does not keep positions. */
function tagLines(xml: string, tag: string): number[] {
  // Counted incrementally: a long one-line-per-cue file would make per-match counting quadratic.
  const lines: number[] = []
  let line = 1
  let from = 0
  for (const m of xml.matchAll(new RegExp(`<${tag}[\\s/>]`, 'g'))) {
    for (let i = from; i < m.index; i++) if (xml.charCodeAt(i) === 10) line++
    from = m.index
    lines.push(line)
  }
  return lines
}
