// Citation markers in an answer: `[n]`, `[n][m]` and `[n, m]`. Markers that do
// not name a source are removed from the text, never shown as links.

const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g

export type CitationTarget = { n: number }

export function citedNumbers(text: string): number[] {
  const out: number[] = []
  for (const m of text.matchAll(MARKER)) for (const part of m[1]!.split(',')) out.push(Number(part.trim()))
  return out
}

/** Removes numbers without a source from every marker; returns the cleaned text and the numbers used, in order of first use. */
export function resolveCitations(text: string, validNumbers: ReadonlySet<number>): { text: string; used: number[] } {
  const used: number[] = []
  const cleaned = text.replace(MARKER, (_all, inner: string) => {
    const kept = inner
      .split(',')
      .map((p) => Number(p.trim()))
      .filter((n) => validNumbers.has(n))
    for (const n of kept) if (!used.includes(n)) used.push(n)
    return kept.length ? `[${kept.join(', ')}]` : ''
  })
  return { text: cleaned.replace(/ +([.,;:!?])/g, '$1').replace(/[ \t]{2,}/g, ' '), used }
}
