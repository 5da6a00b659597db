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
