// The offline answerer: without a language model, quote the sentences of the
// retrieved passages that best match the question, each with its citation.
// Streamed through the same protocol as a model's answer, and labelled as such.
import { normalizeText } from '../../retrieval/normalizeText.ts'
import { STOPWORDS } from '../../retrieval/stopwords.ts'
import type { LlmEvent, LlmProvider } from './types.ts'

export const EXTRACTIVE_MODEL = 'extractive'
export const EXTRACTIVE_NOTICE = 'No language model is configured, so this answer quotes the passages that best match your question.'

export type ExtractiveSource = { n: number; text: string }

const PIECE_DELAY_MS = 6

function words(text: string): string[] {
  return normalizeText(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1 && !STOPWORDS.has(w))
}

function sentences(text: string): string[] {
  const seg = new Intl.Segmenter(undefined, { granularity: 'sentence' })
  return [...seg.segment(text.replace(/^[^:\n]{1,60}: /gm, ''))].map((s) => s.segment.trim()).filter((s) => s.length > 20)
}

export function composeExtractiveAnswer(question: string, sources: ExtractiveSource[], maxQuotes = 3): string {
  if (sources.length === 0) return 'No passage in this collection matches the question. Try other words, or add the video that covers it.'
  const q = new Set(words(question))
  const picks = sources.slice(0, maxQuotes).map((source) => {
    const ranked = sentences(source.text)
      .map((s, i) => ({ s, i, score: words(s).filter((w) => q.has(w)).length }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
    const best = ranked.slice(0, 2).sort((a, b) => a.i - b.i).map((r) => r.s)
    const quote = (best.length ? best.join(' ') : source.text.slice(0, 300)).slice(0, 600)
    return `> ${quote} [${source.n}]`
  })
  return `${EXTRACTIVE_NOTICE}\n\n${picks.join('\n\n')}`
}

export function createExtractiveProvider(question: string, sources: ExtractiveSource[]): LlmProvider {
  return {
    model: EXTRACTIVE_MODEL,
    mode: 'extractive',
    async *stream(req): AsyncIterable<LlmEvent> {
      const text = composeExtractiveAnswer(question, sources)
      const pieces = text.match(/\s*\S+/g) ?? []
      for (const piece of pieces) {
        req.signal.throwIfAborted()
        yield { type: 'text', text: piece }
        // Paced like a fast model, so the answer visibly streams in.
        await Bun.sleep(PIECE_DELAY_MS)
      }
      yield { type: 'usage', inputTokens: 0, outputTokens: 0 }
    },
    // Without a model the one-shot answer is the same quotation, unpaced.
    async complete(req) {
      req.signal.throwIfAborted()
      return { text: composeExtractiveAnswer(question, sources), inputTokens: 0, outputTokens: 0 }
    },
  }
}
