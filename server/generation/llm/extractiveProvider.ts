// The offline answerer: without a language model, quote the sentences of the
// retrieved passages that best match the question, each with its citation
// (extractiveAnswer.ts), or a document's key sentences (extractiveDocument.ts). Streamed through the same protocol as a model's
// answer; the notice that says so travels beside the answer (the `sources`
// event and the message's mode), never inside its text.
import { composeExtractiveAnswer, type ExtractiveSource } from './extractiveAnswer.ts'
import type { LlmEvent, LlmProvider } from './types.ts'

export type { ExtractiveSource } from './extractiveAnswer.ts'

export const EXTRACTIVE_MODEL = 'extractive'
export const EXTRACTIVE_NOTICE = 'No language model is configured, so this answer quotes the passages that best match your question.'
export const EXTRACTIVE_DOCUMENT_NOTICE = 'No language model is configured, so this document quotes the key sentences of the material.'

const PIECE_DELAY_MS = 6

export function createExtractiveProvider(question: string, sources: ExtractiveSource[]): LlmProvider {
  return createQuotingProvider(() => composeExtractiveAnswer(question, sources))
}

/** A provider that streams the text `compose` gives (quotes, composed without a model). */
export function createQuotingProvider(compose: () => string): LlmProvider {
  return {
    model: EXTRACTIVE_MODEL,
    mode: 'extractive',
    async *stream(req): AsyncIterable<LlmEvent> {
      const text = compose()
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
      return { text: compose(), inputTokens: 0, outputTokens: 0 }
    },
  }
}
