// Which answerer a question gets: Claude when a key is configured, otherwise
// the extractive answerer built from the question's own sources.
import type { Config } from '../platform/config.ts'
import { createAnthropicProvider } from './llm/anthropicProvider.ts'
import { createExtractiveProvider, EXTRACTIVE_NOTICE } from './llm/extractiveProvider.ts'
import type { LlmProvider } from './llm/types.ts'

export type ProviderChoice = { provider: LlmProvider; notice: string | null }

export function chooseProvider(config: Config, question: string, sources: { n: number; text: string }[]): ProviderChoice {
  if (config.ANTHROPIC_API_KEY) {
    return {
      provider: createAnthropicProvider({ apiKey: config.ANTHROPIC_API_KEY, baseUrl: config.ANTHROPIC_BASE_URL, model: config.ANTHROPIC_MODEL, maxRetries: config.LLM_MAX_RETRIES }),
      notice: null,
    }
  }
  return { provider: createExtractiveProvider(question, sources), notice: EXTRACTIVE_NOTICE }
}
