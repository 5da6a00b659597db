// Schemas of the search routes; the Hit type that search returns comes from here.
import { t } from 'elysia'

const hit = t.Object({
  chunkId: t.Integer(),
  videoId: t.String(),
  videoTitle: t.String(),
  collectionId: t.String(),
  text: t.String(),
  /** The passage as HTML: escaped, with <mark> around the words that matched. */
  snippetHtml: t.String(),
  startMs: t.Nullable(t.Integer()),
  endMs: t.Nullable(t.Integer()),
  startSeconds: t.Nullable(t.Integer()),
  endSeconds: t.Nullable(t.Integer()),
  /** The stretch of the passage (cues, at most ~20 s) that best answers the question; null without timing. */
  momentStartMs: t.Nullable(t.Integer()),
  momentEndMs: t.Nullable(t.Integer()),
  momentSeconds: t.Nullable(t.Integer()),
  speakers: t.Array(t.String()),
  /** Opens the video at the moment (YouTube, or this app's player for uploads). */
  deepLink: t.String(),
  /** Fused score (reciprocal rank fusion): higher is better. With a reranker, the order follows `rerankScore` instead. */
  score: t.Number(),
  vectorRank: t.Nullable(t.Integer()),
  fullTextRank: t.Nullable(t.Integer()),
  /** Cosine distance (0 = same direction, 2 = opposite). */
  vectorDistance: t.Nullable(t.Number()),
  fullTextScore: t.Nullable(t.Number()),
  /** The reranker's relevance score (RERANK_BASE_URL); null when the hit was not reranked. Higher is better. */
  rerankScore: t.Nullable(t.Number()),
})

const methods = t.Object({ vector: t.Boolean(), fullText: t.Boolean() })

const q = t.String({ minLength: 1, maxLength: 1000, description: 'The question or keywords' })
const k = t.Optional(t.Integer({ minimum: 1, maximum: 50, description: 'How many passages (default SEARCH_TOP_K)' }))

export const RetrievalModel = {
  hit,
  methods,
  collectionParams: t.Object({ id: t.String({ format: 'uuid' }) }),
  collectionSearchQuery: t.Object({ q, k }),
  searchQuery: t.Object({ q, k, collectionId: t.Optional(t.String({ format: 'uuid' })) }),
  searchResponse: t.Object({ query: t.String(), hits: t.Array(hit), methods }),
}

export type Hit = typeof RetrievalModel.hit.static
export type SearchMethods = typeof RetrievalModel.methods.static
