// Which answerer a question gets: Claude when a key is configured, otherwise
// the extractive answerer built from the question's own sources.
import type { Config } from '../platform/config.ts'
import { createAnthropicProvider } from './llm/anthropicProvider.ts'
import { createExtractiveProvider, EXTRACTIVE_NOTICE, type ExtractiveSource } from './llm/extractiveProvider.ts'
import type { LlmProvider } from './llm/types.ts'

export type ProviderChoice = { provider: LlmProvider; notice: string | null }

/** The configured language model (`model`: an operator's setting, or one the caller checked against the allowed ones), or null when none is (no ANTHROPIC_API_KEY). */
export function languageModel(config: Config, model: string = config.ANTHROPIC_MODEL): LlmProvider | null {
  if (!config.ANTHROPIC_API_KEY) return null
  return createAnthropicProvider({
    apiKey: config.ANTHROPIC_API_KEY,
    baseUrl: config.ANTHROPIC_BASE_URL,
    model,
    maxRetries: config.LLM_MAX_RETRIES,
  })
}

export function chooseProvider(config: Config, question: string, sources: ExtractiveSource[], modelId?: string): ProviderChoice {
  const model = languageModel(config, modelId)
  if (model) return { provider: model, notice: null }
  return { provider: createExtractiveProvider(question, sources), notice: EXTRACTIVE_NOTICE }
}
