// What a question is searched as. A follow-up ("and what about the second
// one?") needs the conversation to be found; a new question on another topic
// must not be hijacked by it (searching "profiling" together with the
// previous question about licences returned 8 passages about licences).
//  - With a language model: one short call rewrites the question into a
//    standalone query (kept on the user message, so never asked twice; its
//    time counts in the answer's TTFT and is reported as `rewriteMs`; its
//    tokens are returned for the caller to count). The caller picks that
//    model: ANTHROPIC_REWRITE_MODEL, else ANTHROPIC_MODEL.
//  - Without one: the question alone, unless it is short or refers back
//    (pronouns, "what about …"); then the previous question is added as
//    context with half the weight (chat/retrieveSources fuses the two searches).
import type { LlmProvider } from '../generation/llm/types.ts'
import { escapeData } from '../generation/sourcesBlock.ts'
import { momentTerms } from '../retrieval/selectMoment.ts'

export type SearchPlan = {
  /** Searched with full weight. */
  query: string
  /** Searched together with the query at a lower weight (no-model follow-ups), or null. */
  context: string | null
  /** The model's standalone rewrite, when one was made (stored on the message). */
  rewritten: string | null
  rewriteMs: number | null
  /** What the rewrite cost, when one was made. */
  rewriteTokens: { inputTokens: number; outputTokens: number } | null
}

// Words that point back at something said before, in the languages the
// stopword list knows (English, Danish).
const REFERS_BACK =
  /\b(it|its|it's|they|them|their|theirs|this|that|these|those|he|she|him|her|his|hers|one|ones|former|latter|same|there|then|den|det|de|dem|deres|denne|dette|disse|han|hun|ham|hende|hans)\b/iu
const CONTINUES = /^\s*(and|or|but|also|so|what about|how about|og|men|hvad med)\b/iu
// A question with this few content words leans on what came before it.
const SHORT = 2

export function refersBack(question: string): boolean {
  return REFERS_BACK.test(question) || CONTINUES.test(question) || new Set(momentTerms(question)).size <= SHORT
}

const REWRITE_SYSTEM = `You turn the last question of a conversation about videos into one standalone search query.
- Resolve pronouns and references ("it", "the second one", "what about …") using the conversation.
- If the question does not depend on the conversation (a new topic), return it unchanged.
- Reply with the query only: no quotes, no explanation, no answer.`

const ANSWER_CHARS = 600
const MAX_QUERY_CHARS = 500

/** The previous exchange as the rewriter sees it: the question (as searched) and the start of the answer. */
function conversationBlock(previous: { question: string; answer: string | null }): string {
  const answer = previous.answer ? `\nAnswer: ${escapeData(previous.answer.slice(0, ANSWER_CHARS))}` : ''
  return `<conversation>\nQuestion: ${escapeData(previous.question)}${answer}\n</conversation>`
}

export async function planSearch(
  question: string,
  previous: { question: string; answer: string | null } | null,
  model: LlmProvider | null,
  signal: AbortSignal,
): Promise<SearchPlan> {
  if (!previous) return { query: question, context: null, rewritten: null, rewriteMs: null, rewriteTokens: null }
  if (model) {
    const started = performance.now()
    const { text, inputTokens, outputTokens } = await model.complete({
      system: REWRITE_SYSTEM,
      messages: [{ role: 'user', content: `${conversationBlock(previous)}\n\n<question>\n${escapeData(question)}\n</question>` }],
      maxTokens: 100,
      signal,
    })
    const rewritten =
      text
        .split('\n')
        .find((l) => l.trim())
        ?.trim()
        .replace(/^["'“]|["'”]$/g, '')
        .slice(0, MAX_QUERY_CHARS) ?? ''
    const rewriteMs = Math.round(performance.now() - started)
    return {
      query: rewritten || question,
      context: null,
      rewritten: rewritten || null,
      rewriteMs,
      rewriteTokens: { inputTokens, outputTokens },
    }
  }
  return {
    query: question,
    context: refersBack(question) ? previous.question : null,
    rewritten: null,
    rewriteMs: null,
    rewriteTokens: null,
  }
}
