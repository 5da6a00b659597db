// The answer without a language model: whole sentences of the retrieved
// passages that best match the question, each cited, none repeated, and a
// plain "nothing found" when no passage is relevant enough. Sentences come
// from Intl.Segmenter; a transcript without punctuation (auto captions) has
// no sentences to find, so its timed cue groups stand in for them.
import { groupCues, momentTerms, type MomentCue } from '../../retrieval/selectMoment.ts'
import { normalizeText } from '../../retrieval/normalizeText.ts'

export type ExtractiveSource = { n: number; text: string; cues?: readonly MomentCue[] }

export const NOTHING_FOUND =
  'None of the passages found in this collection answers this question. Try other words, or add the video that covers it.'

const MAX_QUOTES = 4
// A quote must carry at least this share of what the question asks about
// (its terms weighted by rarity among the candidate sentences), and at least
// two of its terms when the candidates have two: one shared word ("best" in
// a question about pizza toppings) is no answer. Chosen on QMSum's choose half
// (benchmarks/quality/extractiveAnswers.ts; RESULTS.md "extractive answers").
const RELEVANCE_FLOOR = 0.34
const MIN_TERMS = 2
/**
 * For a request that is not a question (a custom document's instructions):
 * the floor alone, as before the rule above, which was measured on questions only.
 */
export const INSTRUCTION_FLOORS = { floor: RELEVANCE_FLOOR, minTerms: 1 }
// Shorter "sentences" are fillers ("Yeah.", "Right, okay.").
const MIN_WORDS = 5
// A sentence this long means the text had no punctuation to split on.
const RUN_ON_WORDS = 60
const CUE_GROUP_MS = 20_000

// Words that frame a question about a talk ("what did they discuss about…")
// rather than say what it is about; a quote need not contain them.
const FRAMING = new Set(momentTerms('talk talked discuss discussed mention mentioned explain describe tell speak summarize summarise ask'))

type Unit = { n: number; text: string; order: number }

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length

/** Whole sentences of a passage (speaker prefixes dropped), or its cue groups when it has no punctuation. */
export function sentencesOf(source: ExtractiveSource): string[] {
  const text = source.text.replace(/^[^:\n]{1,60}: /gm, '')
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' })
  const sentences = [...segmenter.segment(text)].map((s) => s.segment.replace(/\s+/g, ' ').trim()).filter(Boolean)
  const runOn = sentences.some((s) => wordCount(s) > RUN_ON_WORDS)
  if (runOn && source.cues?.length) {
    return groupCues(source.cues, CUE_GROUP_MS).map((g) =>
      source
        .cues!.slice(g.cueStart, g.cueEnd + 1)
        .map((c) => c.text)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
  }
  return sentences
}

/** `floors`: the product's by default; benchmarks/quality/extractiveAnswers.ts compares others. */
export function composeExtractiveAnswer(
  question: string,
  sources: readonly ExtractiveSource[],
  { floor, minTerms }: { floor: number; minTerms: number } = { floor: RELEVANCE_FLOOR, minTerms: MIN_TERMS },
): string {
  const terms = [...new Set(momentTerms(question))]
  const content = terms.filter((t) => !FRAMING.has(t))
  const asked = content.length ? content : terms
  if (asked.length === 0) return NOTHING_FOUND
  let order = 0
  const units: (Unit & { terms: Set<string> })[] = []
  for (const source of sources) {
    for (const text of sentencesOf(source)) {
      if (wordCount(text) < MIN_WORDS) continue
      units.push({ n: source.n, text, order: order++, terms: new Set(momentTerms(text)) })
    }
  }
  // Rarity of each question term among the candidates. A term no sentence has
  // weighs as much as an average one that some sentence has: a question that
  // is mostly about something absent does not reach the floor.
  const df = new Map(asked.map((t) => [t, units.filter((u) => u.terms.has(t)).length]))
  const present = asked.filter((t) => df.get(t)! > 0)
  if (present.length === 0) return NOTHING_FOUND
  const idf = new Map(present.map((t) => [t, Math.log(1 + (units.length + 1) / (df.get(t)! + 0.5))]))
  const mean = present.reduce((s, t) => s + idf.get(t)!, 0) / present.length
  const total = asked.reduce((s, t) => s + (idf.get(t) ?? mean), 0)
  const scored = units
    .map((u) => ({ ...u, score: present.reduce((s, t) => s + (u.terms.has(t) ? idf.get(t)! : 0), 0) / total }))
    .filter((u) => u.score >= floor && present.filter((t) => u.terms.has(t)).length >= Math.min(minTerms, present.length))
    .sort((a, b) => b.score - a.score || a.order - b.order)
  const picked: typeof scored = []
  const seen: string[] = []
  for (const u of scored) {
    // Passages overlap, so the same sentence can come from two of them: quote it once.
    const key = normalizeText(u.text)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
    if (seen.some((s) => s.includes(key) || key.includes(s))) continue
    seen.push(key)
    picked.push(u)
    if (picked.length === MAX_QUOTES) break
  }
  if (picked.length === 0) return NOTHING_FOUND
  return picked.map((u) => `> ${u.text} [${u.n}]`).join('\n\n')
}
