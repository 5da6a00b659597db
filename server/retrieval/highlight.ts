// Search snippets as safe HTML. Postgres's ts_headline marks the matched words
// but knows nothing of HTML, so it marks them with control characters that no
// transcript contains; the text is escaped here and only then do the markers
// become <mark> tags, so a transcript saying "<script>" shows as text.

export const HIGHLIGHT_START = '\u0001'
export const HIGHLIGHT_STOP = '\u0002'

/** ts_headline options: highlight every match in the whole passage, with the markers above. */
export const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}, HighlightAll=true`

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

/** A ts_headline result (with the markers above) as HTML. Unpaired markers are dropped. */
export function highlightHtml(headline: string): string {
  return escapeHtml(headline)
    .replace(/\u0001([^\u0001\u0002]*)\u0002/g, '<mark>$1</mark>')
    .replace(/[\u0001\u0002]/g, '')
}

/** Words a search snippet shows: two or three lines of the results list. */
export const SNIPPET_WORDS = 36

/**
 * The stretch of a passage (plain, or a ts_headline result with its markers)
 * worth showing: at most `words` words, placed to hold the most marked words
 * and centred on them, with "…" where the passage goes on. A snippet cut by
 * CSS instead used to hide the very words that matched. A cut never splits a
 * word; a marker pair it splits is dropped by highlightHtml.
 */
export function snippetWindow(text: string, words: number = SNIPPET_WORDS): string {
  const all = text.trim().split(/\s+/)
  if (all.length <= words) return text.trim()
  const marked = all.flatMap((w, i) => (w.includes(HIGHLIGHT_START) ? [i] : []))
  let start = 0
  if (marked.length > 0) {
    // The window (of `words` words) that holds the most marked words, the earliest on ties.
    let bestFirst = 0
    let bestCount = 0
    for (let a = 0, b = 0; a < marked.length; a++) {
      while (b < marked.length && marked[b]! < marked[a]! + words) b++
      if (b - a > bestCount) [bestFirst, bestCount] = [a, b - a]
    }
    const first = marked[bestFirst]!
    const last = marked[bestFirst + bestCount - 1]!
    start = Math.round((first + last + 1 - words) / 2)
  }
  start = Math.max(0, Math.min(start, all.length - words))
  const end = start + words
  return `${start > 0 ? '… ' : ''}${all.slice(start, end).join(' ')}${end < all.length ? ' …' : ''}`
}
