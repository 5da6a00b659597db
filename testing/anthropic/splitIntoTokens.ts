// Splits an answer into the pieces a streamed reply arrives in. Real Claude
// tokens are sub-word; words with their leading whitespace are close enough to
// exercise incremental rendering, and keeping `[n]` citation markers whole
// makes tests about citations deterministic. (To test a marker split across
// deltas, give the emulator an explicit token array instead.)

const CITATION_MARKER = /(\[\d+\])/

export function splitIntoTokens(text: string): string[] {
  const tokens: string[] = []
  for (const part of text.split(CITATION_MARKER)) {
    if (part === '') continue
    if (CITATION_MARKER.test(part)) tokens.push(part)
    // Words carry their leading whitespace; trailing whitespace is a token of its own.
    else tokens.push(...(part.match(/\s*\S+|\s+/g) ?? []))
  }
  return tokens
}
