// What the generation engine needs from a language model: a stream of text
// pieces and, at the end, token usage; or one whole answer at once.

export type LlmMessage = { role: 'user' | 'assistant'; content: string }
export type LlmRequest = { system: string; messages: LlmMessage[]; maxTokens: number; temperature?: number; signal: AbortSignal }
export type LlmEvent = { type: 'text'; text: string } | { type: 'usage'; inputTokens: number; outputTokens: number }

export type LlmCompletion = { text: string; inputTokens: number; outputTokens: number }

export type LlmProvider = {
  /** Stored with each answer. */
  model: string
  mode: 'llm' | 'extractive'
  stream(request: LlmRequest): AsyncIterable<LlmEvent>
  /** One short answer, whole (e.g. rewriting a search query); retried like a stream that has shown nothing yet. */
  complete(request: LlmRequest): Promise<LlmCompletion>
}
