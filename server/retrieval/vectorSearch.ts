// The vector side of hybrid search: the question's embedding against the
// searched collections' vectors, by an exact scan for small collections and the
// per-model HNSW index for large ones (with ef_search grown by index size).
import type { TransactionSql } from '../platform/db.ts'
import { embeddingIndexName, vectorIndexShape, type VectorIndexShape } from './embeddingIndex.ts'
import type { HybridSearchOptions } from './hybridSearch.ts'
import * as q from './sql.ts'

/**
 * Up to this many vectors × dimensions, comparing every vector of the searched
 * collections beats the HNSW index: it is exact, and it is faster than a
 * filtered graph walk (benchmarks/RESULTS.md: 10,000 vectors of 384 dimensions
 * in a 1,000,000-row table, exact 6 ms against HNSW 115 ms at 60% recall).
 * 8,000,000 is ~7,800 vectors of the local embedder's 1,024 dimensions
 * (~25 ms) or ~20,800 of 384.
 */
export const EXACT_SCAN_BUDGET = 8_000_000

/** Up to this many vectors in an index, hnsw.ef_search stays at the candidate count (efSearchFor). */
export const EF_BASE_ROWS = 100_000

export type NearestSearch = Parameters<typeof nearestChunks>[1]

/**
 * The nearest-passage search for the question, or null when there is nothing
 * to compare with. Always as many as exist, up to `limit`: under a selective
 * collection filter the HNSW scan can give up (hnsw.max_scan_tuples) before
 * finding them, and then an exact scan of the collections' vectors answers instead.
 */
export async function questionVector(options: HybridSearchOptions, limit: number): Promise<NearestSearch | null> {
  const { embedder, model } = options
  if (!embedder || !model) return null
  if (embedder.name !== model) throw new Error(`Embedder ${embedder.name} cannot search vectors of ${model}.`)
  const dimensions = options.dimensions ?? embedder.dimensions
  let embedded: number[]
  try {
    ;[embedded] = (await embedder.embed([options.query])) as [number[]]
  } catch (error) {
    if (!options.onEmbeddingError) throw error
    options.onEmbeddingError(error)
    return null
  }
  if (embedded.length !== dimensions) throw new Error(`${model} gave ${embedded.length} dimensions, expected ${dimensions}.`)
  // A question of stopwords only has no direction: cosine distance would be NaN.
  if (q.isZeroVector(embedded)) return null
  return {
    model,
    vector: q.vectorLiteral(embedded),
    collectionIds: options.collectionIds,
    videoIds: options.videoIds ?? [],
    limit,
    shape: vectorIndexShape(dimensions),
    exactRows: Math.floor((options.exactScanBudget ?? EXACT_SCAN_BUDGET) / dimensions),
  }
}

/**
 * hnsw.ef_search (the candidate list a graph walk keeps) for a search for
 * `limit` nearest vectors in an index of `indexRows`. A fixed list loses recall
 * as the graph grows (ef_search 50 found 68 % of the exact top 10 among 1M
 * vectors, 100 % among 100k: benchmarks/RESULTS.md), so it grows with the
 * square root of the graph beyond EF_BASE_ROWS, up to pgvector's 1,000.
 */
export function efSearchFor(indexRows: number, limit: number): number {
  const grown = Math.ceil(limit * Math.sqrt(Math.max(1, indexRows / EF_BASE_ROWS)))
  return Math.min(1000, Math.max(40, limit, grown))
}

/** Dimensions of an index shape's type, e.g. 1024 for `vector(1024)`. */
function shapeDimensions(shape: VectorIndexShape): number {
  return Number(/\((\d+)\)/.exec(shape.type)![1])
}

/**
 * The `limit` nearest chunks of the collections, always as many as exist: an
 * exact scan when they hold at most `exactRows` vectors (or the model has no
 * index), else the HNSW index, and an exact scan after all when the filtered
 * graph walk gives up (hnsw.max_scan_tuples) before finding `limit`.
 */
export async function nearestChunks(
  tx: TransactionSql,
  p: {
    model: string
    vector: string
    collectionIds: readonly string[]
    videoIds?: readonly string[]
    limit: number
    shape: VectorIndexShape | null
    exactRows: number
    efSearch?: number
  },
): Promise<q.VectorMatch[]> {
  await q.planForActualParameters(tx)
  return nearestChunksPlanned(tx, p)
}

/** nearestChunks in a transaction already planning for actual parameters. */
export async function nearestChunksPlanned(tx: TransactionSql, p: NearestSearch): Promise<q.VectorMatch[]> {
  const { shape, exactRows, efSearch, ...search } = p
  // Counted no further than needed to choose, so a huge collection costs no full count.
  const rows = await q.countEmbeddedChunks(tx, p.model, p.collectionIds, Math.max(exactRows, p.limit) + 1, p.videoIds)
  if (shape && rows > exactRows) {
    const ef = efSearch ?? efSearchFor(await q.estimateIndexRows(tx, embeddingIndexName(p.model, shapeDimensions(shape))), p.limit)
    const found = await q.searchNearestChunks(tx, { ...search, shape, efSearch: ef })
    if (found.length >= p.limit || found.length >= rows) return found
  }
  return q.searchNearestChunksExact(tx, search)
}
