// A conversation as a Markdown document: citation markers become links to the
// moment in the video, and every cited passage is listed at the end.
import type { SourceView } from '../generation/model.ts'
import { formatTimestamp } from '../generation/sourcesBlock.ts'
import type { AnswerSettings } from './answerSettings.ts'
import type { MessageRow } from './messageSql.ts'
import type { ConversationRow } from './sql.ts'

/** A download name from the title: letters, digits, spaces, `_` and `-`, single-spaced, at most 60 characters. */
export function exportFileName(title: string, extension: 'md' | 'json'): string {
  const base =
    title
      .replace(/[^\p{L}\p{N} _-]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 60)
      .trim() || 'conversation'
  return `${base}.${extension}`
}

/** Content-Disposition for a UTF-8 file name: an ASCII fallback plus RFC 6266's filename*. */
export function attachment(fileName: string): string {
  const ascii =
    fileName
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '')
      .replace(/\s+/g, ' ')
      .trim() || 'conversation'
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

function escapeMarkdownText(s: string): string {
  return s.replace(/([\\[\]*_`])/g, '\\$1')
}

/** The conversation's answer settings in words; the server's defaults (null) are not listed. */
export function describeSettings(s: AnswerSettings): string {
  return [
    s.useRag ? 'answers from the videos' : 'answers from the model alone',
    ...(s.useRag && s.maxContextChunks !== null ? [`${s.maxContextChunks} passages`] : []),
    ...(s.useRag && s.minSimilarity !== null ? [`relevance floor ${s.minSimilarity}`] : []),
    ...(s.model !== null ? [`model ${s.model}`] : []),
    ...(s.temperature !== null ? [`temperature ${s.temperature}`] : []),
  ].join(' · ')
}

export function conversationToMarkdown(conversation: ConversationRow, messages: MessageRow[], exportedAt = new Date()): string {
  const global = new Map<number, { g: number; source: SourceView }>() // chunk id -> global number
  const number = (s: SourceView) => {
    let entry = global.get(s.chunkId)
    if (!entry) global.set(s.chunkId, (entry = { g: global.size + 1, source: s }))
    return entry.g
  }
  const parts: string[] = [
    `# ${escapeMarkdownText(conversation.title)}`,
    '',
    `_Collection: ${escapeMarkdownText(conversation.collectionName)} · exported ${exportedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC_`,
    '',
    `_Settings: ${escapeMarkdownText(describeSettings(conversation.settings))}_`,
    '',
  ]
  for (const m of messages) {
    if (m.role === 'user') {
      parts.push(`**You:** ${m.content}`, '')
      continue
    }
    const byN = new Map(m.citations.map((c) => [c.n, c]))
    const body = m.content.replace(/\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g, (all, inner: string) => {
      const links = inner
        .split(',')
        .map((p) => byN.get(Number(p.trim())))
        .filter((c): c is SourceView => c !== undefined)
        .map((c) => `[[${number(c)}] ${formatTimestamp(c.startMs)}](${c.deepLink})`)
      return links.length ? links.join(' ') : all
    })
    const label = m.mode === 'extractive' ? 'KnowledgeTree (no language model; quoted passages)' : 'KnowledgeTree'
    const status = m.status === 'stopped' ? ' _(stopped)_' : m.status === 'failed' ? ' _(incomplete: the answer failed)_' : ''
    parts.push(`**${label}:** ${body}${status}`, '')
  }
  if (global.size) {
    parts.push('## Sources', '')
    for (const { g, source } of [...global.values()].sort((a, b) => a.g - b.g)) {
      const when = source.startMs === null ? 'no timestamp' : `${formatTimestamp(source.startMs)}–${formatTimestamp(source.endMs)}`
      parts.push(`${g}. [${escapeMarkdownText(source.videoTitle)}, ${when}](${source.deepLink}): “${source.snippet.replace(/\s+/g, ' ')}”`)
    }
    parts.push('')
  }
  return parts.join('\n')
}
