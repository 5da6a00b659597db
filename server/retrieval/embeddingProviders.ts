// Which embedder to use: the configured one for new vectors, and the one that
// made a collection's stored vectors for searching them. A query must be
// embedded by the same model as the passages it is compared with, so search
// looks the embedder up by the model name stored on the collection.
import type { Config } from '../platform/config.ts'
import { localEmbedder } from './localEmbedder.ts'
import { createOpenAiEmbedder } from './openaiEmbedder.ts'
import type { EmbeddingProvider } from './types.ts'

type EmbeddingConfig = Pick<
  Config,
  'EMBEDDING_PROVIDER' | 'EMBEDDING_BASE_URL' | 'EMBEDDING_MODEL' | 'EMBEDDING_API_KEY' | 'EMBEDDING_DIMENSIONS'
>

// One SDK client per config object rather than one per search.
const remote = new WeakMap<object, EmbeddingProvider>()

export function configuredEmbedder(config: EmbeddingConfig): EmbeddingProvider {
  if (config.EMBEDDING_PROVIDER === 'local') return localEmbedder
  let embedder = remote.get(config)
  if (!embedder) {
    embedder = createOpenAiEmbedder({
      baseUrl: config.EMBEDDING_BASE_URL,
      apiKey: config.EMBEDDING_API_KEY ?? null,
      model: config.EMBEDDING_MODEL,
      dimensions: config.EMBEDDING_DIMENSIONS ?? null,
    })
    remote.set(config, embedder)
  }
  return embedder
}

/**
 * The embedder whose vectors are stored under `name`, or null when this process
 * cannot make them (e.g. a collection still on a remote model that is no longer
 * configured): search then falls back to full text only.
 */
export function embedderByName(config: EmbeddingConfig, name: string): EmbeddingProvider | null {
  // Always available: it needs nothing but this process.
  if (name === localEmbedder.name) return localEmbedder
  if (config.EMBEDDING_PROVIDER !== 'openai') return null
  const configured = configuredEmbedder(config)
  return configured.name === name ? configured : null
}
