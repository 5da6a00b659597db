// Search over collections as the routes and chat ask for it: each collection
// with its own active embedding model, the groups merged, and the optional
// reranker (reranker.ts) applied to the merged fused ranking.
import type { Config } from '../platform/config.ts'
import type { Sql } from '../platform/db.ts'
import { embedderByName } from './embeddingProviders.ts'
import { placeMoments } from './hitMoments.ts'
import { defaultCandidates, rankHits, type RankedResult, type SearchResult } from './hybridSearch.ts'
import type { Reranker } from './reranker.ts'
import * as q from './sql.ts'
import type { EmbeddingProvider } from './types.ts'

export type SearchCollectionsOptions = {
  collectionIds: readonly string[]
  videoIds?: readonly string[]
  query: string
  k: number
  /** False: no highlighted snippets (HybridSearchOptions.snippets). */
  snippets?: boolean
  minSimilarity?: number
  onEmbeddingError?: (error: unknown) => void
  relevanceFloor?: boolean
  /** Reorders the top fused candidates (RERANK_BASE_URL); null or absent: the fused order. */
  reranker?: Reranker | null
}

/** searchCollections with the moments placed on the hits kept. */
export async function searchCollections(sql: Sql, config: SearchConfig, options: SearchCollectionsOptions): Promise<SearchResult> {
  const { hits, methods, cues } = await rankCollections(sql, config, options)
  return { hits: placeMoments(hits, options.query, cues), methods }
}

type SearchConfig = Pick<
  Config,
  'PUBLIC_URL' | 'EMBEDDING_PROVIDER' | 'EMBEDDING_BASE_URL' | 'EMBEDDING_MODEL' | 'EMBEDDING_API_KEY' | 'EMBEDDING_DIMENSIONS'
>

/**
 * Searches collections with each one's active embedding model (the one its
 * vectors are complete for). Collections on different models are searched per
 * model and merged by fused score; a collection with no model yet, or one this
 * process cannot embed with, is searched by full text only. With a reranker,
 * the top `reranker.candidates` of that ranking are reordered by it before
 * the top k are taken. Moments are not placed yet (placeMoments).
 */
export async function rankCollections(sql: Sql, config: SearchConfig, options: SearchCollectionsOptions): Promise<RankedResult> {
  const { reranker, k } = options
  if (!reranker) return rankFused(sql, config, options)
  // The reranker sees the top `candidates` of the same fused ranking a search
  // without it would cut at k (each method's list as deep as it would be), and
  // its order decides the top k. On failure it returns that fused order.
  const fused = await rankFused(sql, config, { ...options, k: Math.max(k, reranker.candidates) }, defaultCandidates(k))
  const hits = (await reranker.rerank(options.query, fused.hits)).slice(0, k)
  const kept = new Set(hits.map((h) => h.chunkId))
  return { hits, methods: fused.methods, cues: new Map([...fused.cues].filter(([id]) => kept.has(id))) }
}

/** The fused ranking (no reranker); `candidates`: each method's list length (rankHits' default when absent). */
async function rankFused(sql: Sql, config: SearchConfig, options: SearchCollectionsOptions, candidates?: number): Promise<RankedResult> {
  const models = await q.getCollectionEmbeddingModels(sql, options.collectionIds)
  const groups = new Map<string | null, { embedder: EmbeddingProvider | null; ids: string[] }>()
  for (const { id, embeddingModel } of models) {
    const embedder = embeddingModel ? embedderByName(config, embeddingModel) : null
    const key = embedder?.name ?? null
    const group = groups.get(key) ?? { embedder, ids: [] }
    group.ids.push(id)
    groups.set(key, group)
  }
  const results = await Promise.all(
    [...groups.values()].map(({ embedder, ids }) =>
      rankHits(sql, {
        collectionIds: ids,
        videoIds: options.videoIds,
        query: options.query,
        k: options.k,
        embedder,
        model: embedder?.name ?? null,
        dimensions: embedder?.dimensions ?? null,
        publicUrl: config.PUBLIC_URL,
        snippets: options.snippets,
        minSimilarity: options.minSimilarity,
        onEmbeddingError: options.onEmbeddingError,
        relevanceFloor: options.relevanceFloor,
        candidates,
      }),
    ),
  )
  if (results.length === 0) return { hits: [], methods: { vector: false, fullText: false }, cues: new Map() }
  if (results.length === 1) return results[0]!
  const hits = results
    .flatMap((r) => r.hits)
    .sort((a, b) => b.score - a.score || a.chunkId - b.chunkId)
    .slice(0, options.k)
  return {
    hits,
    methods: { vector: results.some((r) => r.methods.vector), fullText: results.some((r) => r.methods.fullText) },
    cues: new Map(results.flatMap((r) => [...r.cues])),
  }
}
