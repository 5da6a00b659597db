// Queries of the retrieval capability: writing chunks and their embeddings,
// and the reads hybrid search is made of (nearest vectors, the passages to
// show; full-text matches are in textSearchSql.ts).
import type { Db, Sql, TransactionSql } from '../platform/db.ts'
import type { VectorIndexShape } from './embeddingIndex.ts'
import { HEADLINE_OPTIONS } from './highlight.ts'
import type { TextQuery } from './textSearchSql.ts'
import type { Chunk } from './types.ts'

// The full-text reads live in their own file; callers get them from here too.
export * from './textSearchSql.ts'

// Text search configurations shipped with PostgreSQL 15+, by language subtag.
// BCP 47 tags use the two-letter code wherever one exists, so three-letter
// codes only name languages Postgres has no stemmer for.
const TEXT_SEARCH_CONFIGS: Record<string, string> = {
  ar: 'arabic', ca: 'catalan', da: 'danish', de: 'german', el: 'greek', en: 'english', es: 'spanish', eu: 'basque',
  fi: 'finnish', fr: 'french', ga: 'irish', hi: 'hindi', hu: 'hungarian', hy: 'armenian', id: 'indonesian', it: 'italian',
  lt: 'lithuanian', nb: 'norwegian', ne: 'nepali', nl: 'dutch', nn: 'norwegian', no: 'norwegian', pt: 'portuguese',
  ro: 'romanian', ru: 'russian', sr: 'serbian', sv: 'swedish', ta: 'tamil', tr: 'turkish', yi: 'yiddish',
}

/**
 * The text search configuration for a video's language (`en`, `pt-BR`, …).
 * Unknown languages and scripts without word stemming (Chinese, Japanese,
 * Korean, …) get `simple`: words are lower-cased and matched as they are.
 */
export function tsConfigForLanguage(language: string | null): string {
  const primary = language?.split('-')[0]?.toLowerCase() ?? ''
  return TEXT_SEARCH_CONFIGS[primary] ?? 'simple'
}

// Rows per INSERT: well under the protocol's 65,535 parameters, and a few MB
// of vector text at most.
const CHUNK_BATCH = 500
const EMBEDDING_BATCH = 100

/** Writes a video's chunks; returns their ids in the order of `chunks`. */
export async function insertChunks(tx: Db, videoId: string, collectionId: string, tsConfig: string, chunks: readonly Chunk[]): Promise<number[]> {
  const idByOrdinal = new Map<number, number>()
  for (let i = 0; i < chunks.length; i += CHUNK_BATCH) {
    const rows = chunks.slice(i, i + CHUNK_BATCH).map((c) => ({
      videoId,
      collectionId,
      ordinal: c.ordinal,
      text: c.text,
      startMs: c.startMs,
      endMs: c.endMs,
      speakers: c.speakers,
      segmentStart: c.segmentStart,
      segmentEnd: c.segmentEnd,
      tsConfig,
    }))
    const inserted = await tx<{ id: string; ordinal: number }[]>`
      insert into chunks ${tx(rows, 'videoId', 'collectionId', 'ordinal', 'text', 'startMs', 'endMs', 'speakers', 'segmentStart', 'segmentEnd', 'tsConfig')}
      returning id, ordinal`
    // RETURNING order is not promised to follow VALUES order; ordinals are unique per video.
    for (const row of inserted) idByOrdinal.set(row.ordinal, Number(row.id))
  }
  return chunks.map((c) => idByOrdinal.get(c.ordinal)!)
}

export type NewChunkEmbedding = { chunkId: number; model: string; collectionId: string; embedding: readonly number[] }

/**
 * Writes embeddings, replacing any the chunk already has for the model (jobs
 * run at least once). Zero vectors are refused: their cosine distance is
 * undefined (NaN) and would poison every ranking they appear in.
 */
export async function insertChunkEmbeddings(tx: Db, rows: readonly NewChunkEmbedding[]): Promise<void> {
  for (let i = 0; i < rows.length; i += EMBEDDING_BATCH) {
    const batch = rows.slice(i, i + EMBEDDING_BATCH).map((r) => ({
      chunkId: r.chunkId,
      model: r.model,
      collectionId: r.collectionId,
      embedding: vectorLiteral(r.embedding),
    }))
    await tx`
      insert into chunk_embeddings ${tx(batch, 'chunkId', 'model', 'collectionId', 'embedding')}
      on conflict (chunk_id, model) do update set embedding = excluded.embedding, collection_id = excluded.collection_id`
  }
}

/** pgvector's text form, `[0.1,-0.2,…]`; refuses values it could not store or rank. */
export function vectorLiteral(vector: readonly number[]): string {
  let nonZero = false
  for (const x of vector) {
    if (!Number.isFinite(x)) throw new Error('An embedding must contain only finite numbers.')
    if (x !== 0) nonZero = true
  }
  if (!nonZero) throw new Error('A zero vector has no direction: do not store or search with it.')
  return `[${vector.join(',')}]`
}

export function isZeroVector(vector: readonly number[]): boolean {
  return vector.every((x) => x === 0)
}

/** Removes a video's chunks; their embeddings go with them (on delete cascade). */
export async function deleteVideoChunks(tx: Db, videoId: string): Promise<void> {
  await tx`delete from chunks where video_id = ${videoId}`
}

/** Re-indexes a video's passages for full text in another language (tsv is generated from ts_config). */
export async function setVideoTextSearchLanguage(tx: Db, videoId: string, language: string | null): Promise<void> {
  const tsConfig = tsConfigForLanguage(language)
  await tx`update chunks set ts_config = ${tsConfig}::regconfig where video_id = ${videoId} and ts_config <> ${tsConfig}::regconfig`
}

/**
 * A page of a collection's chunks with no embedding from `model`, in id order,
 * for re-embedding. Page with `afterChunkId` (the last id seen): chunks whose
 * text has no content words never get a vector, so "until none are missing"
 * would never end.
 */
export async function chunksMissingEmbedding(db: Db, collectionId: string, model: string, limit: number, afterChunkId = 0): Promise<{ chunkId: number; text: string }[]> {
  const rows = await db<{ chunkId: string; text: string }[]>`
    select c.id as chunk_id, c.text
    from chunks c
    where c.collection_id = ${collectionId} and c.id > ${afterChunkId}
      and not exists (select 1 from chunk_embeddings e where e.chunk_id = c.id and e.model = ${model})
    order by c.id
    limit ${limit}`
  return rows.map((r) => ({ chunkId: Number(r.chunkId), text: r.text }))
}

/** After a re-embed has switched the collection over: drops the old model's vectors. */
export async function deleteEmbeddingsOfOtherModels(tx: Db, collectionId: string, keepModel: string): Promise<number> {
  const result = await tx`delete from chunk_embeddings where collection_id = ${collectionId} and model <> ${keepModel}`
  return result.count
}

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
    await tx.unsafe(`create index if not exists ${p.name} on chunk_embeddings using hnsw ((embedding::${p.type}) ${p.opclass}) where model = ${quoteLiteral(p.model)}`)
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
export async function markReembedStarted(db: Db, collectionId: string, model: string): Promise<{ embeddingModel: string | null } | undefined> {
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
export async function getCollectionEmbeddingModels(db: Db, collectionIds: readonly string[]): Promise<{ id: string; embeddingModel: string | null }[]> {
  return db<{ id: string; embeddingModel: string | null }[]>`
    select id, embedding_model from collections where id = any(${collectionIds as string[]}::uuid[]) order by id`
}

/**
 * Plans the rest of the transaction's statements for their actual parameters.
 * postgres.js prepares every statement, and after five runs Postgres may switch
 * to one generic plan that ignores the values: for `collection_id = any($1)` it
 * assumes an average collection and picks a parallel scan of the whole table,
 * 70 ms where the collection's own 1,000 rows take 4 ms through its index.
 * Collections differ by orders of magnitude, so searches always plan afresh
 * (a fraction of a millisecond).
 */
export async function planForActualParameters(tx: TransactionSql): Promise<void> {
  await tx`select set_config('plan_cache_mode', 'force_custom_plan', true)`
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
  p: { model: string; shape: VectorIndexShape; vector: string; collectionIds: readonly string[]; videoIds?: readonly string[]; limit: number; efSearch?: number },
): Promise<VectorMatch[]> {
  const efSearch = p.efSearch ?? Math.min(1000, Math.max(40, p.limit))
  await tx`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(efSearch)}, true)`
  // The cast and the model are spelled out, not parameters: the planner only
  // uses a partial expression index when the query repeats both literally.
  const expression = tx.unsafe(`embedding::${p.shape.type}`)
  const target = tx.unsafe(`${p.shape.type}`)
  const model = tx.unsafe(quoteLiteral(p.model))
  const rows = await tx<{ chunkId: string; distance: number }[]>`
    with nearest as materialized (
      select chunk_id, ${expression} <=> ${p.vector}::${target} as distance
      from chunk_embeddings
      where model = ${model} and collection_id = any(${p.collectionIds as string[]}::uuid[]) ${ofVideos(tx, p.videoIds)}
      order by ${expression} <=> ${p.vector}::${target}
      limit ${p.limit}
    )
    select chunk_id, distance from nearest order by distance, chunk_id`
  return rows.map((r) => ({ chunkId: Number(r.chunkId), distance: r.distance }))
}

/**
 * How many vectors an index holds, as Postgres estimates it (kept by CREATE
 * INDEX, VACUUM and ANALYZE; no count is run): the size of the HNSW graph a
 * search walks, whatever its collection filter. 0 when there is no such index.
 */
export async function estimateIndexRows(db: Db, indexName: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`select greatest(reltuples, 0)::float8 as n from pg_class where relname = ${indexName} and relkind = 'i'`
  return row?.n ?? 0
}

/**
 * Exact nearest chunks: every vector of the collections is compared. Ordering
 * on the CTE's column keeps the planner from answering it with the index.
 */
export async function searchNearestChunksExact(db: Db, p: { model: string; vector: string; collectionIds: readonly string[]; videoIds?: readonly string[]; limit: number }): Promise<VectorMatch[]> {
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
export async function countEmbeddedChunks(db: Db, model: string, collectionIds: readonly string[], cap?: number, videoIds?: readonly string[]): Promise<number> {
  const limit = cap === undefined ? db`` : db`limit ${cap}`
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from (
      select 1 from chunk_embeddings where model = ${model} and collection_id = any(${collectionIds as string[]}::uuid[]) ${ofVideos(db, videoIds)} ${limit}
    ) x`
  return row!.n
}

export type HitRow = {
  chunkId: number
  videoId: string
  collectionId: string
  text: string
  startMs: number | null
  endMs: number | null
  speakers: string[]
  videoTitle: string
  sourceType: 'youtube' | 'transcript' | 'audio'
  youtubeId: string | null
  hasTimestamps: boolean
  /** ts_headline of the text with highlight markers; null without queries. */
  headline: string | null
}

/** The passages to show, with their videos and the matched words marked. */
export async function getHitRows(db: Db, chunkIds: readonly number[], queries: readonly TextQuery[]): Promise<HitRow[]> {
  const headline = queries.length > 0 ? db`ts_headline(c.ts_config, c.text, ${tsQueryOfRow(db, queries)}, ${HEADLINE_OPTIONS})` : db`null::text`
  const rows = await db<(Omit<HitRow, 'chunkId'> & { chunkId: string })[]>`
    select c.id as chunk_id, c.video_id, c.collection_id, c.text, c.start_ms, c.end_ms, c.speakers,
           v.title as video_title, v.source_type, v.youtube_id, v.has_timestamps,
           ${headline} as headline
    from chunks c
    join videos v on v.id = c.video_id
    where c.id = any(${chunkIds.map(String)}::bigint[])`
  return rows.map((r) => ({ ...r, chunkId: Number(r.chunkId) }))
}

export type PassageRow = Omit<HitRow, 'headline'>

/** The first `limit` passages of a video, in order. */
export async function listVideoPassages(db: Db, videoId: string, limit: number): Promise<PassageRow[]> {
  const rows = await db<(Omit<PassageRow, 'chunkId'> & { chunkId: string })[]>`
    select c.id as chunk_id, c.video_id, c.collection_id, c.text, c.start_ms, c.end_ms, c.speakers,
           v.title as video_title, v.source_type, v.youtube_id, v.has_timestamps
    from chunks c
    join videos v on v.id = c.video_id
    where c.video_id = ${videoId}
    order by c.ordinal
    limit ${limit}`
  // bigint ids arrive as strings; they are small enough to be numbers everywhere else.
  return rows.map((r) => ({ ...r, chunkId: Number(r.chunkId) }))
}

export async function getChunkTexts(db: Db, chunkIds: readonly number[]): Promise<{ chunkId: number; text: string }[]> {
  const rows = await db<{ chunkId: string; text: string }[]>`select id as chunk_id, text from chunks where id = any(${chunkIds.map(String)}::bigint[])`
  return rows.map((r) => ({ chunkId: Number(r.chunkId), text: r.text }))
}

/** The cues of each chunk, in order (for picking the moment within it). */
export async function getChunkCues(db: Db, chunkIds: readonly number[]): Promise<Map<number, { startMs: number | null; endMs: number | null; text: string }[]>> {
  const rows = await db<{ chunkId: string; startMs: number | null; endMs: number | null; text: string }[]>`
    select c.id as chunk_id, s.start_ms, s.end_ms, s.text
    from chunks c
    join transcript_segments s on s.video_id = c.video_id and s.ordinal between c.segment_start and c.segment_end
    where c.id = any(${chunkIds.map(String)}::bigint[])
    order by c.id, s.ordinal`
  const out = new Map<number, { startMs: number | null; endMs: number | null; text: string }[]>()
  for (const r of rows) {
    const id = Number(r.chunkId)
    let list = out.get(id)
    if (!list) out.set(id, (list = []))
    list.push({ startMs: r.startMs, endMs: r.endMs, text: r.text })
  }
  return out
}

/** The query of the row's own configuration (empty when the question had none of its words). */
function tsQueryOfRow(db: Db, queries: readonly TextQuery[]) {
  if (queries.length === 1) return db`${queries[0]!.tsQuery}::tsquery`
  const arms = queries.map((q) => db`when c.ts_config = ${q.tsConfig}::regconfig then ${q.tsQuery}::tsquery`).reduce((a, b) => db`${a} ${b}`)
  return db`case ${arms} else ''::tsquery end`
}
