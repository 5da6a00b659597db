// Citation markers in an answer: `[n]`, `[n][m]` and `[n, m]`. Markers that do
// not name a source are removed as the answer streams, so what the reader
// saw, what `done` says and what is saved are the same bytes: nothing else in
// the text is touched (a quoted "the... ...the" stays as it was said).

const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g
// What may still become a marker: "[", digits, commas and spaces, unclosed.
const PARTIAL = /\[[\d,\s]{0,24}$/
// Spaces before a marker belong to it: "claim [9]." loses " [9]", not just "[9]".
const HELD = /[ \t]*(?:\[[\d,\s]{0,24})?$/

export function citedNumbers(text: string): number[] {
  const out: number[] = []
  for (const m of text.matchAll(MARKER)) for (const part of m[1]!.split(',')) out.push(Number(part.trim()))
  return out
}

/** The marker with only the valid numbers kept, or '' when none is valid (its leading spaces go too). */
function rewrite(marker: string, spaces: string, inner: string, valid: ReadonlySet<number>): string {
  const numbers = inner.split(',').map((p) => Number(p.trim()))
  const kept = numbers.filter((n) => valid.has(n))
  if (kept.length === numbers.length) return spaces + marker
  return kept.length ? `${spaces}[${kept.join(', ')}]` : ''
}

/** The text with numbers without a source removed from every marker. */
function cleanMarkers(text: string, validNumbers: ReadonlySet<number>): string {
  return text.replace(/([ \t]*)(\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\])/g, (_all, spaces: string, marker: string, inner: string) =>
    rewrite(marker, spaces, inner, validNumbers),
  )
}

/** Removes numbers without a source from every marker; returns the text and the numbers used, in order of first use. */
export function resolveCitations(text: string, validNumbers: ReadonlySet<number>): { text: string; used: number[] } {
  const cleaned = cleanMarkers(text, validNumbers)
  return { text: cleaned, used: [...new Set(citedNumbers(cleaned))] }
}

/**
 * The same, for a stream: `push` returns the part of the text that can be
 * shown now (a trailing "[1" or trailing spaces wait until it is clear whether
 * a marker follows), `end` the rest. The concatenation of everything returned
 * equals resolveCitations of the whole text.
 */
export function createCitationFilter(validNumbers: ReadonlySet<number>) {
  let pending = ''
  return {
    push(piece: string): string {
      const text = pending + piece
      // Most pieces: no "[" anywhere, so no marker is in them or starts in
      // them, and only trailing spaces wait (a marker may follow). This runs
      // once per token of every open answer, so it skips the regular
      // expressions below.
      if (!text.includes('[')) {
        let end = text.length
        while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--
        pending = text.slice(end)
        return text.slice(0, end)
      }
      const held = HELD.exec(text)![0]
      // Hold only what could still turn into a marker (or the spaces before one).
      const keep = PARTIAL.test(held) || /^[ \t]+$/.test(held) ? held : ''
      const ready = text.slice(0, text.length - keep.length)
      pending = keep
      return cleanMarkers(ready, validNumbers)
    },
    end(): string {
      const rest = cleanMarkers(pending, validNumbers)
      pending = ''
      return rest
    },
  }
}
