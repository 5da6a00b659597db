// Queries of the retrieval capability about vectors: which embedding model a
// collection's search uses, the per-model HNSW indexes, and the nearest-vector
// reads hybrid search is made of. Callers get them from sql.ts.
import type { Db, Sql, TransactionSql } from '../platform/db.ts'
import type { VectorIndexShape } from './embeddingIndex.ts'

/**
 * A string as an SQL literal, as Postgres's quote_literal does it. The E'' form
 * reads the same whatever standard_conforming_strings is set to.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('An SQL literal cannot contain a NUL character.')
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
}

/**
 * Builds a model's partial HNSW index unless it exists (see embeddingIndex.ts);
 * false when it did. Workers embedding the same new model at once would
 * otherwise race to build the same index; the loser waits, then sees it exists.
 */
export async function createEmbeddingIndex(sql: Sql, p: { name: string; model: string; type: string; opclass: string }): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('kt:embedding-index'), hashtext(${p.name}))`
    const [row] = await tx<{ exists: boolean }[]>`select to_regclass(${p.name}) is not null as exists`
    if (row!.exists) return false
    await tx.unsafe(
      `create index if not exists ${p.name} on chunk_embeddings using hnsw ((embedding::${p.type}) ${p.opclass}) where model = ${quoteLiteral(p.model)}`,
    )
    return true
  })
}

/** The model a collection's search uses, set to `model` if it had none yet (its first video decides). */
export async function claimCollectionEmbeddingModel(db: Db, collectionId: string, model: string): Promise<string | null> {
  const [row] = await db<{ embeddingModel: string | null }[]>`
    update collections set embedding_model = coalesce(embedding_model, ${model}) where id = ${collectionId} returning embedding_model`
  return row ? row.embeddingModel : null
}

/** Marks a re-embed to `model` as under way; the model search still uses, or undefined when the collection is gone. */
export async function markReembedStarted(
  db: Db,
  collectionId: string,
  model: string,
): Promise<{ embeddingModel: string | null } | undefined> {
  const [row] = await db<{ embeddingModel: string | null }[]>`
    update collections set reembed_model = ${model} where id = ${collectionId} returning embedding_model`
  return row
}

/** Switches a collection's search to `model` once all its vectors exist. */
export async function switchCollectionEmbeddingModel(db: Db, collectionId: string, model: string): Promise<void> {
  await db`update collections set embedding_model = ${model}, reembed_model = null where id = ${collectionId}`
}

/** Collections whose search uses another model than `model`. */
export async function listCollectionsOnOtherModels(db: Db, model: string): Promise<string[]> {
  const rows = await db<{ id: string }[]>`select id from collections where embedding_model is not null and embedding_model <> ${model}`
  return rows.map((r) => r.id)
}

/** The model each collection's search uses (null: nothing embedded yet). */
export async function getCollectionEmbeddingModels(
  db: Db,
  collectionIds: readonly string[],
): Promise<{ id: string; embeddingModel: string | null }[]> {
  return db<{ id: string; embeddingModel: string | null }[]>`
    select id, embedding_model from collections where id = any(${collectionIds as string[]}::uuid[]) order by id`
}

export type VectorMatch = { chunkId: number; distance: number }

/** Restricts chunk_embeddings to chunks of the chosen videos; no videos: no restriction. */
function ofVideos(db: Db, videoIds: readonly string[] | undefined) {
  return videoIds?.length ? db`and chunk_id in (select id from chunks where video_id = any(${videoIds as string[]}::uuid[]))` : db``
}

/**
 * Nearest chunks through the model's HNSW index. Iterative scanning keeps
 * walking the graph past rows of other collections until `limit` rows survive
 * the filter, or until hnsw.max_scan_tuples: callers must check the count.
 * Relaxed order may return rows slightly out of order; the materialized CTE
 * re-sorts them exactly (and keeps the outer sort out of the index scan).
 */
export async function searchNearestChunks(
  tx: TransactionSql,
  p: {
    model: string
    shape: VectorIndexShape
    vector: string
    collectionIds: readonly string[]
    videoIds?: readonly string[]
    limit: number
    efSearch?: number
  },
): Promise<VectorMatch[]> {
  const efSearch = p.efSearch ?? Math.min(1000, Math.max(40, p.limit))
  const settings = tx`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(efSearch)}, true)`
  // The cast and the model are spelled out, not parameters: the planner only
  // uses a partial expression index when the query repeats both literally.
  const expression = tx.unsafe(`embedding::${p.shape.type}`)
  const target = tx.unsafe(`${p.shape.type}`)
  const model = tx.unsafe(quoteLiteral(p.model))
  // The settings go out with the search, in order on the transaction's connection: one write.
  const [, rows] = await Promise.all([
    settings,
    tx<{ chunkId: string; distance: number }[]>`
    with nearest as materialized (
      select chunk_id, ${expression} <=> ${p.vector}::${target} as distance
      from chunk_embeddings
      where model = ${model} and collection_id = any(${p.collectionIds as string[]}::uuid[]) ${ofVideos(tx, p.videoIds)}
      order by ${expression} <=> ${p.vector}::${target}
      limit ${p.limit}
    )
    select chunk_id, distance from nearest order by distance, chunk_id`,
  ])
  return rows.map((r) => ({ chunkId: Number(r.chunkId), distance: r.distance }))
}

/**
 * How many vectors an index holds, as Postgres estimates it (kept by CREATE
 * INDEX, VACUUM and ANALYZE; no count is run): the size of the HNSW graph a
 * search walks, whatever its collection filter. 0 when there is no such index.
 */
export async function estimateIndexRows(db: Db, indexName: string): Promise<number> {
  const [row] = await db<
    { n: number }[]
  >`select greatest(reltuples, 0)::float8 as n from pg_class where relname = ${indexName} and relkind = 'i'`
  return row?.n ?? 0
}

/**
 * Exact nearest chunks: every vector of the collections is compared. Ordering
 * on the CTE's column keeps the planner from answering it with the index.
 */
export async function searchNearestChunksExact(
  db: Db,
  p: { model: string; vector: string; collectionIds: readonly string[]; videoIds?: readonly string[]; limit: number },
): Promise<VectorMatch[]> {
  const rows = await db<{ chunkId: string; distance: number }[]>`
    with scoped as materialized (
      select chunk_id, embedding <=> ${p.vector}::vector as distance
      from chunk_embeddings
      where model = ${p.model} and collection_id = any(${p.collectionIds as string[]}::uuid[]) ${ofVideos(db, p.videoIds)}
    )
    select chunk_id, distance from scoped order by distance, chunk_id limit ${p.limit}`
  return rows.map((r) => ({ chunkId: Number(r.chunkId), distance: r.distance }))
}

/** Vectors of the model in the collections, counted up to `cap` when one is given. */
export async function countEmbeddedChunks(
  db: Db,
  model: string,
  collectionIds: readonly string[],
  cap?: number,
  videoIds?: readonly string[],
): Promise<number> {
  const limit = cap === undefined ? db`` : db`limit ${cap}`
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from (
      select 1 from chunk_embeddings where model = ${model} and collection_id = any(${collectionIds as string[]}::uuid[]) ${ofVideos(db, videoIds)} ${limit}
    ) x`
  return row!.n
}
