// Hybrid retrieval: nearest passages by embedding (pgvector HNSW) and passages
// matching the words (Postgres full-text search), fused by reciprocal rank.
// Each method covers the other's blind spot: embeddings find paraphrases,
// full text finds names, numbers and rare terms an embedding blurs. Every
// query is filtered to the collections the caller may read.
import { withSpan } from '../platform/tracing.ts'
import type { Sql, TransactionSql } from '../platform/db.ts'
import { passageLink } from './deepLink.ts'
import { fuse, fusionFor, type FusedRank, type FusionMethod } from './fusion.ts'
import { escapeHtml, highlightHtml, snippetWindow } from './highlight.ts'
import { aboveFloor } from './similarityFloor.ts'
import { placeMoments, type PassageCues } from './hitMoments.ts'
import type { Hit, SearchMethods } from './model.ts'
import { aboveRelevanceFloor } from './relevanceFloor.ts'
import * as q from './sql.ts'
import { nearestChunksPlanned, questionVector } from './vectorSearch.ts'
import type { EmbeddingProvider } from './types.ts'

export { fuseRankings } from './fusion.ts'

export type HybridSearchOptions = {
  collectionIds: readonly string[]
  /** Only these videos of the collections (a conversation's chosen sources); empty or absent: all. */
  videoIds?: readonly string[]
  query: string
  k: number
  /** Embeds the question with the model the collections' vectors were made by; null: full text only. */
  embedder: EmbeddingProvider | null
  model: string | null
  dimensions: number | null
  /** Base of deep links to uploaded videos. */
  publicUrl: string
  /** Passages each method contributes to the fusion. Default max(50, 4k) (defaultCandidates). */
  candidates?: number
  /** False: vectors only (benchmarks compare the methods). Default true. */
  fullText?: boolean
  /** The embedding service failed: search goes on with full text only. */
  onEmbeddingError?: (error: unknown) => void
  /** Searches over at most this many vectors × dimensions compare every vector. Default EXACT_SCAN_BUDGET. */
  exactScanBudget?: number
  /** How the two rankings are fused; default: by the embedder (fusionFor). Benchmarks compare them. */
  fusion?: FusionMethod
  /** Drop hits below the relevance floor (relevanceFloor.ts): the search page. Default false. */
  relevanceFloor?: boolean
  /** False: no snippets (`snippetHtml` is empty), for callers that show none (chat builds its own from the moment). Default true. */
  snippets?: boolean
  /** Relevance floor: drop passages less similar to the question (cosine) than this (similarityFloor.ts). */
  minSimilarity?: number
}

export type SearchResult = { hits: Hit[]; methods: SearchMethods }
/** Hits ranked but not yet placed at their moments (links open at the passage start), with the cues to place them. */
export type RankedResult = SearchResult & { cues: PassageCues }

export type RankedLists = {
  vector: q.VectorMatch[] | null
  text: { queries: q.TextQuery[]; matches: q.TextMatch[] } | null
}

/**
 * Each method's ranking on its own (null: the method could not run),
 * `candidates` long at most. Both sides read in one read-only transaction
 * (one connection, one BEGIN and plan setting per search), after the
 * question is embedded: an embedding service is a remote call, and no
 * transaction waits on it.
 */
export async function rankedLists(sql: Sql, options: HybridSearchOptions, candidates: number): Promise<RankedLists> {
  const question = await withSpan('retrieval.embed', {}, () => questionVector(options, candidates))
  if (!question && options.fullText === false) return { vector: null, text: null }
  return sql.begin('read only', async (tx) => {
    // Sent together, in this order, on the transaction's one connection: the
    // plan setting and each side's first statement go out in one write.
    const [, vector, text] = await Promise.all([
      q.planForActualParameters(tx),
      withSpan('retrieval.vector', {}, async (s) => {
        const found = question ? await nearestChunksPlanned(tx, question) : null
        s.setAttribute('kt.retrieval.candidates', found?.length ?? 0)
        return found
      }),
      withSpan('retrieval.full_text', {}, async (s) => {
        const found = await fullTextSide(tx, options, candidates)
        s.setAttribute('kt.retrieval.candidates', found?.matches.length ?? 0)
        return found
      }),
    ])
    return { vector, text }
  })
}

/** Passages each method contributes to the fusion when the caller does not say. */
export const defaultCandidates = (k: number): number => Math.max(50, 4 * k)

/** Ranked hits with their moments placed (what the search routes and benchmarks show). */
export async function hybridSearch(sql: Sql, options: HybridSearchOptions): Promise<SearchResult> {
  const { hits, methods, cues } = await rankHits(sql, options)
  return { hits: placeMoments(hits, options.query, cues), methods }
}

/** Ranked hits before moments: a caller that merges or cuts rankings places moments on what it keeps. */
export async function rankHits(sql: Sql, options: HybridSearchOptions): Promise<RankedResult> {
  const { collectionIds, query, k } = options
  if (collectionIds.length === 0 || query.trim() === '' || k < 1)
    return { hits: [], methods: { vector: false, fullText: false }, cues: new Map() }
  const candidates = Math.max(k, options.candidates ?? defaultCandidates(k))
  return withSpan(
    'retrieval.hybrid_search',
    {
      attributes: { 'kt.retrieval.collections': collectionIds.length, 'kt.retrieval.k': k, 'kt.retrieval.model': options.model ?? 'none' },
    },
    async (span) => {
      const { vector, text } = await rankedLists(sql, options, candidates)
      const result = await withSpan('retrieval.fusion', {}, async (s) => {
        const method = options.fusion ?? fusionFor(options.embedder?.lexical === true)
        const ranked = fuse(method, vector?.map((m) => m.chunkId) ?? [], text?.matches.map((m) => m.chunkId) ?? [])
        const floor = {
          textShares: text?.matches.map((m) => m.share) ?? [],
          vectorDistances: vector?.map((m) => m.distance) ?? [],
          model: options.model,
        }
        const floored = options.relevanceFloor ? aboveRelevanceFloor(ranked, floor) : ranked
        // A conversation's own floor (answer settings) applies on top.
        const fused = aboveFloor(floored, vector, options.minSimilarity ?? 0).slice(0, k)
        s.setAttribute('kt.retrieval.fusion', method)
        s.setAttribute('kt.retrieval.fused', fused.length)
        return readHits(sql, options, fused, vector, text)
      })
      span.setAttribute('kt.retrieval.hits', result.hits.length)
      return result
    },
  )
}

async function readHits(
  sql: Sql,
  options: HybridSearchOptions,
  fused: FusedRank[],
  vector: q.VectorMatch[] | null,
  text: RankedLists['text'],
): Promise<RankedResult> {
  const ids = fused.map((f) => f.chunkId)
  // The passages, their videos, snippets and timed cues in one statement; ts_headline is most of its cost.
  const highlightBy = options.snippets === false ? [] : (text?.queries ?? [])
  const rows = ids.length > 0 ? await q.getHitRows(sql, ids, highlightBy) : []
  const rowById = new Map(rows.map((r) => [r.chunkId, r]))
  const cues = new Map(rows.flatMap((r) => (r.cues ? [[r.chunkId, r.cues] as const] : [])))
  const hits = fused.flatMap((f): Hit[] => {
    const row = rowById.get(f.chunkId)
    // Deleted between the two reads: leave it out rather than show a dead link.
    if (!row) return []
    const [vectorRank, fullTextRank] = f.ranks
    const passage = passageLink(row, options.publicUrl)
    return [
      {
        chunkId: row.chunkId,
        videoId: row.videoId,
        videoTitle: row.videoTitle,
        collectionId: row.collectionId,
        text: row.text,
        snippetHtml:
          options.snippets === false
            ? ''
            : row.headline === null
              ? escapeHtml(snippetWindow(row.text))
              : highlightHtml(snippetWindow(row.headline)),
        startMs: row.startMs,
        endMs: row.endMs,
        startSeconds: passage.startSeconds,
        endSeconds: passage.endSeconds,
        momentStartMs: null,
        momentEndMs: null,
        momentSeconds: null,
        speakers: row.speakers,
        deepLink: passage.deepLink,
        score: f.score,
        vectorRank: vectorRank ?? null,
        fullTextRank: fullTextRank ?? null,
        vectorDistance: vectorRank ? vector![vectorRank - 1]!.distance : null,
        fullTextScore: fullTextRank ? text!.matches[fullTextRank - 1]!.score : null,
        rerankScore: null,
      },
    ]
  })
  return { hits, methods: { vector: vector !== null, fullText: text !== null }, cues }
}

/** Full-text matches, or null when the question has no searchable words in any configuration (the transaction plans for actual parameters). */
async function fullTextSide(
  tx: TransactionSql,
  options: HybridSearchOptions,
  limit: number,
): Promise<{ queries: q.TextQuery[]; matches: q.TextMatch[] } | null> {
  if (options.fullText === false) return null
  // The size of the search space does not depend on the question: asked alongside its parse.
  const [parsed, searched] = await Promise.all([
    q.getTextSearchQueries(tx, options.collectionIds, options.query),
    q.countSearchSpace(tx, options),
  ])
  const queries = parsed.flatMap((p) => {
    const query = anyTermQuery(p.tsQuery)
    return query === null ? [] : [{ tsConfig: p.tsConfig, ...query }]
  })
  if (queries.length === 0) return null
  return {
    queries,
    matches: await q.searchChunksByText(tx, { collectionIds: options.collectionIds, videoIds: options.videoIds, queries, limit, searched }),
  }
}

/**
 * websearch_to_tsquery joins words with AND, which suits keywords but not
 * questions: "what did they decide about the remote's buttons" would need every
 * word in one passage. Terms are ORed instead (ranking puts passages with more
 * of the rarer terms first); phrases stay phrases and `-word` still excludes.
 * Null when nothing positive is left to match.
 */
export function anyTermQuery(websearch: string): { tsQuery: string; terms: string[]; negative: string[] } | null {
  // In websearch_to_tsquery's output `&` binds looser than `<->` and `!`, and
  // lexemes never contain spaces, so " & " only ever separates top-level terms.
  const parts = websearch
    .split(' & ')
    .map((t) => t.trim())
    .filter((t) => t !== '')
  const terms = [...new Set(parts.filter((t) => !t.startsWith('!')))]
  const negative = parts.filter((t) => t.startsWith('!'))
  if (terms.length === 0) return null
  const any = terms.length === 1 ? terms[0]! : `(${terms.join(' | ')})`
  return { tsQuery: [any, ...negative].join(' & '), terms, negative }
}
