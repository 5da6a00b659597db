// A conversation's answer settings (the product plan's use_rag,
// max_context_chunks, min_similarity, temperature, and the model): what the
// user chose, checked against what this server can do, and what a question
// is then answered with. Null means "the server's default", resolved at each
// question, so an operator's new default reaches conversations that did not choose.
import type { Config } from '../platform/config.ts'
import { BadRequestError } from '../platform/errors.ts'

export type AnswerSettings = {
  /** False: the model answers alone, without passages of the videos. */
  useRag: boolean
  maxContextChunks: number | null
  /** Cosine similarity (0–1) a passage's embedding must reach with the question's. */
  minSimilarity: number | null
  temperature: number | null
  model: string | null
}

export type AnswerSettingsPatch = Partial<AnswerSettings>

export const DEFAULT_SETTINGS: AnswerSettings = {
  useRag: true,
  maxContextChunks: null,
  minSimilarity: null,
  temperature: null,
  model: null,
}

type ModelConfig = Pick<Config, 'ANTHROPIC_API_KEY' | 'ANTHROPIC_MODEL' | 'ANTHROPIC_MODELS'>

/** The models a conversation may pick, the default first; none without a key. */
export function allowedModels(config: ModelConfig): string[] {
  if (!config.ANTHROPIC_API_KEY) return []
  return [...new Set([config.ANTHROPIC_MODEL, ...(config.ANTHROPIC_MODELS ?? [])])]
}

/** What the settings popover may offer on this server. */
export function answerOptions(config: ModelConfig & Pick<Config, 'SEARCH_TOP_K' | 'LLM_TEMPERATURE'>) {
  const models = allowedModels(config)
  return {
    /** A language model answers; without one answers quote the passages and only the retrieval settings apply. */
    languageModel: models.length > 0,
    models,
    defaults: { maxContextChunks: config.SEARCH_TOP_K, temperature: config.LLM_TEMPERATURE ?? null, model: models[0] ?? null },
  }
}

/**
 * The settings after `patch`, or 400 for a choice this server cannot honour:
 * a model the operator did not list, or answering without the videos when no
 * model is configured. (Types and ranges are the route schema's.)
 */
export function applySettings(config: ModelConfig, current: AnswerSettings, patch: AnswerSettingsPatch): AnswerSettings {
  const next = { ...current, ...patch }
  const models = allowedModels(config)
  if (patch.model != null && !models.includes(patch.model))
    throw new BadRequestError('model_not_allowed', `This server answers with ${models.length ? models.join(', ') : 'no language model'}.`)
  if (patch.useRag === false && models.length === 0)
    throw new BadRequestError('model_required', 'Without a language model, answers can only come from the videos.')
  return next
}

/** What a question is answered with: the conversation's choices, or the server's defaults where it chose none or can no longer honour them. */
export function resolveSettings(
  config: ModelConfig & Pick<Config, 'SEARCH_TOP_K' | 'LLM_TEMPERATURE'>,
  s: AnswerSettings,
): { useRag: boolean; k: number; minSimilarity: number; temperature: number | undefined; model: string | null } {
  const models = allowedModels(config)
  return {
    // Without a model nothing can answer from the model alone: the passages are quoted.
    useRag: s.useRag || models.length === 0,
    k: s.maxContextChunks ?? config.SEARCH_TOP_K,
    minSimilarity: s.minSimilarity ?? 0,
    temperature: s.temperature ?? config.LLM_TEMPERATURE,
    // A model the operator has since removed falls back to the default.
    model: s.model && models.includes(s.model) ? s.model : (models[0] ?? null),
  }
}
