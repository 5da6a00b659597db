// Queries of the retrieval capability: writing chunks and their embeddings,
// and the passages hybrid search shows. Full-text matches are in
// textSearchSql.ts, nearest vectors and embedding models in vectorSql.ts.
import type { Db, TransactionSql } from '../platform/db.ts'
import { HEADLINE_OPTIONS } from './highlight.ts'
import type { MomentCue } from './selectMoment.ts'
import type { TextQuery } from './textSearchSql.ts'
import type { Chunk } from './types.ts'

// The full-text and vector reads live in their own files; callers get them from here too.
export * from './textSearchSql.ts'
export * from './vectorSql.ts'

// Text search configurations shipped with PostgreSQL 15+, by language subtag.
// BCP 47 tags use the two-letter code wherever one exists, so three-letter
// codes only name languages Postgres has no stemmer for.
const TEXT_SEARCH_CONFIGS: Record<string, string> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  nb: 'norwegian',
  ne: 'nepali',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
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
export async function insertChunks(
  tx: Db,
  videoId: string,
  collectionId: string,
  tsConfig: string,
  chunks: readonly Chunk[],
): Promise<number[]> {
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
export async function chunksMissingEmbedding(
  db: Db,
  collectionId: string,
  model: string,
  limit: number,
  afterChunkId = 0,
): Promise<{ chunkId: number; text: string }[]> {
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
  /** The passage's cues in order, to pick its moment from (untimed ones too); null if it has none. */
  cues: MomentCue[] | null
}

/**
 * The passages to show, with their videos, the matched words marked and the
 * cues to place the moment. The cues come as one JSON array
 * per passage: a row per cue would cost the driver a row's parsing each.
 */
export async function getHitRows(db: Db, chunkIds: readonly number[], queries: readonly TextQuery[]): Promise<HitRow[]> {
  const headline =
    queries.length > 0 ? db`ts_headline(c.ts_config, c.text, ${tsQueryOfRow(db, queries)}, ${HEADLINE_OPTIONS})` : db`null::text`
  const rows = await db<(Omit<HitRow, 'chunkId' | 'cues'> & { chunkId: string; cues: CueTuple[] | null })[]>`
    select c.id as chunk_id, c.video_id, c.collection_id, c.text, c.start_ms, c.end_ms, c.speakers,
           v.title as video_title, v.source_type, v.youtube_id, v.has_timestamps,
           ${headline} as headline,
           (select json_agg(json_build_array(s.start_ms, s.end_ms, s.text) order by s.ordinal)
            from transcript_segments s
            where s.video_id = c.video_id and s.ordinal between c.segment_start and c.segment_end) as cues
    from chunks c
    join videos v on v.id = c.video_id
    where c.id = any(${chunkIds.map(String)}::bigint[])`
  return rows.map((r) => ({
    ...r,
    chunkId: Number(r.chunkId),
    cues: r.cues && r.cues.map(([startMs, endMs, text]) => ({ startMs, endMs, text })),
  }))
}

type CueTuple = [startMs: number | null, endMs: number | null, text: string]

export type PassageRow = Omit<HitRow, 'headline' | 'cues'>

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
  const rows = await db<
    { chunkId: string; text: string }[]
  >`select id as chunk_id, text from chunks where id = any(${chunkIds.map(String)}::bigint[])`
  return rows.map((r) => ({ chunkId: Number(r.chunkId), text: r.text }))
}

/** The cues of each chunk, in order (for picking the moment within it). */
export async function getChunkCues(
  db: Db,
  chunkIds: readonly number[],
): Promise<Map<number, { startMs: number | null; endMs: number | null; text: string }[]>> {
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
  const arms = queries
    .map((q) => db`when c.ts_config = ${q.tsConfig}::regconfig then ${q.tsQuery}::tsquery`)
    .reduce((a, b) => db`${a} ${b}`)
  return db`case ${arms} else ''::tsquery end`
}
