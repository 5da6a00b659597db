// The emulator's relevance: the share of the query's distinct words found in
// the document (0–1, like TEI's and Cohere's normalised scores). Crude on
// purpose: deterministic, and enough for a test to predict the order.
const WORD = /[\p{L}\p{N}]+/gu

function words(text: string): Set<string> {
  return new Set((text.toLowerCase().match(WORD) ?? []).filter((w) => w.length > 1))
}

export function lexicalScore(query: string, document: string): number {
  const asked = words(query)
  if (asked.size === 0) return 0
  const found = words(document)
  let shared = 0
  for (const w of asked) if (found.has(w)) shared++
  return shared / asked.size
}
