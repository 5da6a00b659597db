// Per-model HNSW indexes on chunk_embeddings. The column has no fixed
// dimension so any model fits; pgvector can only index a fixed size, so each
// model gets a partial expression index over `embedding::vector(<dims>)` limited
// to its own rows. A search must use exactly that expression and a literal
// `model = '…'` for the planner to match the index (see vectorIndexExpression).
import { createHash } from 'node:crypto'
import type { Sql } from '../platform/db.ts'
import * as q from './sql.ts'

// Tests and benchmarks build index expressions with it too.
export { quoteLiteral } from './sql.ts'

/** pgvector indexes `vector` up to 2,000 dimensions and `halfvec` up to 4,000. */
export const MAX_VECTOR_INDEX_DIMENSIONS = 2000
export const MAX_HALFVEC_INDEX_DIMENSIONS = 4000
/** pgvector's own limit for a vector value. */
export const MAX_VECTOR_DIMENSIONS = 16000

export type VectorIndexShape = {
  /** SQL type the embedding is cast to, e.g. `vector(1024)`; also the query vector's type. */
  type: string
  /** Operator class of the cosine HNSW index. */
  opclass: string
}

/**
 * How vectors of this size are indexed, or null when they cannot be (over 4,000
 * dimensions: search then scans exactly). Above 2,000 dimensions the index
 * stores half-precision copies (`halfvec`): half the memory, and a loss of
 * precision far below what changes a cosine ranking. The table keeps full precision.
 */
export function vectorIndexShape(dimensions: number): VectorIndexShape | null {
  assertDimensions(dimensions)
  if (dimensions <= MAX_VECTOR_INDEX_DIMENSIONS) return { type: `vector(${dimensions})`, opclass: 'vector_cosine_ops' }
  if (dimensions <= MAX_HALFVEC_INDEX_DIMENSIONS) return { type: `halfvec(${dimensions})`, opclass: 'halfvec_cosine_ops' }
  return null
}

/** Stable and short (identifiers stop at 63 bytes), whatever the model is called. */
export function embeddingIndexName(model: string, dimensions: number): string {
  const digest = createHash('sha256').update(`${model}\u0000${dimensions}`).digest('hex')
  return `chunk_embeddings_hnsw_${digest.slice(0, 16)}`
}

/**
 * Creates the model's index unless it exists. Call it before the first vectors
 * of a model are written: the partial index is then empty and built at once,
 * and every later insert maintains it. Returns null when the size cannot be indexed.
 */
export async function ensureEmbeddingIndex(
  sql: Sql,
  model: string,
  dimensions: number,
): Promise<{ name: string; created: boolean } | null> {
  const shape = vectorIndexShape(dimensions)
  if (!shape) return null
  const name = embeddingIndexName(model, dimensions)
  const created = await q.createEmbeddingIndex(sql, { name, model, ...shape })
  return { name, created }
}

function assertDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_VECTOR_DIMENSIONS) {
    throw new Error(`Embedding dimensions must be an integer from 1 to ${MAX_VECTOR_DIMENSIONS}, got ${dimensions}.`)
  }
}
