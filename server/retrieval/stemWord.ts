// Porter stems of Latin-script words, remembered: every question stems the
// words of its passages (moment selection) and of its own text (the local
// embedder), and a collection's vocabulary is small next to the number of
// times its words are seen, so most calls are a map lookup instead of the
// stemmer's suffix rules (~4× faster per word, benchmarks/chat-sse/README.md).
import { stemmer } from 'stemmer'

// A few MB at most; a vocabulary larger than this starts over rather than
// tracking recency, which costs one re-stem per word afterwards.
const MAX_WORDS = 50_000
const stems = new Map<string, string>()

/** stemmer(word), for a word already normalised (normalizeText) and of Latin letters only. */
export function stemWord(word: string): string {
  let stem = stems.get(word)
  if (stem === undefined) {
    if (stems.size >= MAX_WORDS) stems.clear()
    stem = detached(stemmer(word))
    stems.set(detached(word), stem)
  }
  return stem
}

// A word matched out of a passage is a substring that keeps the whole passage
// text alive in JavaScriptCore; a remembered word must own its characters.
function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8')
}
