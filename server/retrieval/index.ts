// Routes of the retrieval capability: search one collection, or everything the
// caller may read. A collection the caller cannot see is "not found".
import { Elysia } from 'elysia'
import { authContext } from '../auth/guard.ts'
import { readableCollectionIds, requireCollectionRole } from '../collections/access.ts'
import type { Config } from '../platform/config.ts'
import type { Sql } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import { searchCollections } from './searchCollections.ts'
import { RetrievalModel } from './model.ts'
import type { Reranker } from './reranker.ts'

/** `reranker`: reorders the top fused passages (RERANK_BASE_URL); absent: the fused order. */
export type RetrievalRouteDeps = { sql: Sql; config: Config; logger?: Logger; reranker?: Reranker | null }

export function retrievalRoutes(deps: RetrievalRouteDeps) {
  const { sql, config, logger, reranker } = deps
  // An embedding service outage degrades search to full text (methods.vector
  // is false in the answer) instead of failing it.
  const onEmbeddingError = (error: unknown) => logger?.warn('query embedding failed; searching full text only', { error: String(error) })
  // Search answers a reader, so filler below the relevance floor is left out
  // (fewer than k hits, or none: "Nothing matched"); chat retrieval keeps its own.
  const search = (collectionIds: string[], query: string, k: number | undefined) =>
    searchCollections(sql, config, { collectionIds, query, k: k ?? config.SEARCH_TOP_K, onEmbeddingError, relevanceFloor: true, reranker })

  return new Elysia({ name: 'retrieval' })
    .use(authContext)
    .get(
      '/api/collections/:id/search',
      async ({ params, query }) => {
        return { query: query.q, ...(await search([params.id], query.q, query.k)) }
      },
      {
        params: RetrievalModel.collectionParams,
        query: RetrievalModel.collectionSearchQuery,
        response: RetrievalModel.searchResponse,
        detail: { summary: 'Passages of a collection that answer a question, each with the moment of its video', tags: ['search'] },
      },
    )
    .get(
      '/api/search',
      async ({ auth, query }) => {
        let ids: string[]
        if (query.collectionId) {
          await requireCollectionRole(sql, auth.userId, query.collectionId, 'viewer')
          ids = [query.collectionId]
        } else {
          ids = await readableCollectionIds(sql, auth.userId)
        }
        return { query: query.q, ...(await search(ids, query.q, query.k)) }
      },
      {
        query: RetrievalModel.searchQuery,
        response: RetrievalModel.searchResponse,
        detail: { summary: 'Passages across every collection you can read (or one, with collectionId)', tags: ['search'] },
      },
    )
}
