// What the generation engine needs from a language model: a stream of text
// pieces and, at the end, token usage.

export type LlmMessage = { role: 'user' | 'assistant'; content: string }
export type LlmRequest = { system: string; messages: LlmMessage[]; maxTokens: number; temperature?: number; signal: AbortSignal }
export type LlmEvent = { type: 'text'; text: string } | { type: 'usage'; inputTokens: number; outputTokens: number }

export type LlmProvider = {
  /** Stored with each answer. */
  model: string
  mode: 'llm' | 'extractive'
  stream(request: LlmRequest): AsyncIterable<LlmEvent>
}
