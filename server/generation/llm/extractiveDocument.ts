// A document without a language model: the material's key sentences, quoted
// whole and cited. "Key" is centrality (LexRank's idea, continuous weights):
// a sentence that shares many rare-ish words with the rest of the video says
// what the video is about, while a podcast's "subscribe and press the bell"
// shares words with nothing. Picks are spread over the timeline (one stretch
// each), so a summary covers the whole video instead of its first minutes;
// notes and outlines group the picks by topic segments (cut where adjacent
// passages share the fewest words), headed by the segment's own words.
import { normalizeText } from '../../retrieval/normalizeText.ts'
import { momentTerms } from '../../retrieval/selectMoment.ts'
import { STOPWORDS } from '../../retrieval/stopwords.ts'
import { sentencesOf, type ExtractiveSource } from './extractiveAnswer.ts'

export type DocumentSource = ExtractiveSource & { startMs?: number | null }
export type DocumentLayout = 'summary' | 'notes' | 'outline'

export const NOTHING_TO_SUMMARISE =
  'This material has no sentences long enough to quote, so there is nothing to summarise without a language model.'

// Shorter sentences are fillers or fragments ("Awesome to be back with you.").
const MIN_WORDS = 8
const SENTENCE_END = /[.!?…"'”)]$/
const MAX_WORDS = 60
// How many earlier sentences a new one is compared with for repeats (overlap is between neighbours).
const DEDUPE_WINDOW = 40
// Content words (distinct) from which a sentence counts fully.
const INFORMATIVE_TERMS = 8
const SUMMARY_POINTS = 7
const SEGMENT_POINTS = { notes: 4, outline: 2 } as const
const MAX_SEGMENTS = 8
const PASSAGES_PER_SEGMENT = 4
const MIN_SEGMENT = 2
const HEADING_WORDS = 3

type Sentence = { n: number; source: number; text: string; order: number; weights: Map<string, number>; centrality: number }

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length
const dedupeKey = (s: string) =>
  normalizeText(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()

function tfidf(termLists: string[][]): Map<string, number>[] {
  const df = new Map<string, number>()
  for (const terms of termLists) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1)
  const n = termLists.length
  return termLists.map((terms) => {
    const w = new Map<string, number>()
    for (const t of terms) w.set(t, (w.get(t) ?? 0) + 1)
    let norm = 0
    for (const [t, tf] of w) {
      const v = (1 + Math.log(tf)) * Math.log((n + 1) / df.get(t)!)
      w.set(t, v)
      norm += v * v
    }
    norm = Math.sqrt(norm) || 1
    for (const [t, v] of w) w.set(t, v / norm)
    return w
  })
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let dot = 0
  for (const [t, v] of small) dot += v * (large.get(t) ?? 0)
  return dot
}

/**
 * A passage starts and ends where its word budget did, often mid-sentence,
 * and a speaker's turn can break off: in punctuated text, only pieces that
 * end a sentence are quoted, and a first piece that starts mid-sentence is
 * dropped (the neighbouring passage holds it whole). Text without sentence
 * punctuation is left as it is.
 */
function wholeSentences(sentences: string[]): string[] {
  if (!sentences.some((s) => SENTENCE_END.test(s))) return sentences
  return sentences.filter((s, i) => !(i === 0 && /^\p{Ll}/u.test(s)) && SENTENCE_END.test(s))
}

/** The material's sentences (each once, in order) with their centrality. */
export function rankSentences(sources: readonly DocumentSource[]): Sentence[] {
  const kept: string[] = []
  const units: Omit<Sentence, 'weights' | 'centrality'>[] = []
  sources.forEach((source, index) => {
    for (const text of wholeSentences(sentencesOf(source))) {
      const words = wordCount(text)
      // Too long to be a sentence: unpunctuated captions with no cues to split them.
      if (words < MIN_WORDS || words > MAX_WORDS) continue
      // Overlapping passages repeat sentences, or their cut ends: the first whole copy stands.
      const key = dedupeKey(text)
      if (kept.slice(-DEDUPE_WINDOW).some((k) => k.includes(key) || key.includes(k))) continue
      kept.push(key)
      units.push({ n: source.n, source: index, text, order: units.length })
    }
  })
  const weights = tfidf(units.map((u) => momentTerms(u.text)))
  // The sum of a sentence's cosines to all others is its dot product with the
  // sum of all (unit) vectors, less itself: linear, not quadratic, in sentences.
  const total = new Map<string, number>()
  for (const w of weights) for (const [t, v] of w) total.set(t, (total.get(t) ?? 0) + v)
  return units.map((u, i) => {
    const w = weights[i]!
    const self = cosine(w, w)
    const similarity = units.length > 1 ? (cosine(w, total) - self) / (units.length - 1) : 0
    // A short sentence of common words ("that's a use case") is alike to many
    // but says little: sentences with few content words count for less.
    return { ...u, weights: w, centrality: similarity * Math.min(1, w.size / INFORMATIVE_TERMS) }
  })
}

/** The most central sentence of each of `count` equal stretches of the list, in order. */
function spreadPicks(sentences: readonly Sentence[], count: number): Sentence[] {
  if (sentences.length === 0) return []
  const stretches = Math.min(count, sentences.length)
  const picks: Sentence[] = []
  for (let s = 0; s < stretches; s++) {
    const from = Math.floor((s * sentences.length) / stretches)
    const to = Math.floor(((s + 1) * sentences.length) / stretches)
    const stretch = sentences.slice(from, to)
    const best = stretch.reduce((a, b) => (b.centrality > a.centrality ? b : a))
    // A stretch that is all intro or chatter has nothing central: skip it.
    if (best.centrality > 0) picks.push(best)
  }
  return picks
}

/**
 * Topic segments: consecutive runs of sources, cut where adjacent sources are
 * least alike (TextTiling's idea), at most one segment per few sources.
 */
export function topicSegments(sources: readonly DocumentSource[]): number[][] {
  const count = Math.max(1, Math.min(MAX_SEGMENTS, Math.round(sources.length / PASSAGES_PER_SEGMENT)))
  const vectors = tfidf(sources.map((s) => momentTerms(s.text)))
  const gaps = sources.slice(1).map((_, i) => ({ at: i + 1, similarity: cosine(vectors[i]!, vectors[i + 1]!) }))
  // Lowest similarity first; a cut next to another would leave a one-passage segment.
  const cuts: number[] = []
  for (const g of gaps.sort((a, b) => a.similarity - b.similarity || a.at - b.at)) {
    if (cuts.length === count - 1) break
    if (g.at < MIN_SEGMENT || sources.length - g.at < MIN_SEGMENT || cuts.some((c) => Math.abs(c - g.at) < MIN_SEGMENT)) continue
    cuts.push(g.at)
  }
  cuts.sort((a, b) => a - b)
  const bounds = [0, ...cuts, sources.length]
  return bounds.slice(1).map((end, i) => Array.from({ length: end - bounds[i]! }, (_, k) => bounds[i]! + k))
}

/** A segment's heading: the words it uses most that the rest uses least, as they are spelt. */
function headingWords(sources: readonly DocumentSource[], segments: number[][]): string[] {
  const spelt = new Map<string, Map<string, number>>()
  const stems = new Map<string, string>()
  const termLists = segments.map((seg) => {
    const terms: string[] = []
    for (const i of seg) {
      for (const [word] of sources[i]!.text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu)) {
        const lower = normalizeText(word)
        if (STOPWORDS.has(lower) || lower.length < 3 || /^\d+$/.test(lower)) continue
        let term = stems.get(lower)
        if (term === undefined) stems.set(lower, (term = momentTerms(word)[0] ?? ''))
        if (!term) continue
        terms.push(term)
        const forms = spelt.get(term) ?? new Map<string, number>()
        forms.set(word, (forms.get(word) ?? 0) + 1)
        spelt.set(term, forms)
      }
    }
    return terms
  })
  // Plain counts times rarity across segments: a heading names what the segment talks about most.
  const df = new Map<string, number>()
  for (const terms of termLists) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1)
  return termLists.map((terms) => {
    const tf = new Map<string, number>()
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1)
    const score = (t: string) => tf.get(t)! * Math.log((termLists.length + 1) / df.get(t)!)
    const top = [...tf.keys()]
      .filter((t) => tf.get(t)! >= 2)
      .sort((a, b) => score(b) - score(a) || (a < b ? -1 : 1))
      .slice(0, HEADING_WORDS)
    return top.map((term) => [...spelt.get(term)!].sort((a, b) => b[1] - a[1])[0]![0]).join(', ')
  })
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000)
  const h = Math.floor(s / 3600)
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0')
  const ss = String(s % 60).padStart(2, '0')
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

const quote = (s: Sentence) => `- ${s.text} [${s.n}]`

export function composeExtractiveDocument(layout: DocumentLayout, sources: readonly DocumentSource[]): string {
  const sentences = rankSentences(sources)
  if (sentences.length === 0) return NOTHING_TO_SUMMARISE
  if (layout === 'summary') return spreadPicks(sentences, SUMMARY_POINTS).map(quote).join('\n')
  const segments = topicSegments(sources)
  const headings = headingWords(sources, segments)
  const parts = segments.flatMap((seg, i) => {
    const members = new Set(seg)
    const inSegment = sentences.filter((s) => members.has(s.source))
    const picks = spreadPicks(inSegment, SEGMENT_POINTS[layout])
    if (picks.length === 0) return []
    const start = sources[seg[0]!]!.startMs
    const title = `${headings[i] || `Part ${i + 1}`}${start === null || start === undefined ? '' : ` (from ${clock(start)})`}`
    return [`## ${title.charAt(0).toUpperCase()}${title.slice(1)}\n\n${picks.map(quote).join('\n')}`]
  })
  return parts.length ? parts.join('\n\n') : NOTHING_TO_SUMMARISE
}
