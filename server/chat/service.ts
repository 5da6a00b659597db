// Conversations as the routes and the answer path reach them: the access
// checks that load one, its chosen sources, and the retrieval an answer draws
// on. Asking a question (storing it and starting the answer) is askQuestion.ts.
import type { GenerationDeps } from '../generation/generation.ts'
import type { SourceView } from '../generation/model.ts'
import { snippetAtMoment, toSourceView } from '../generation/views.ts'
import type { Db, Sql } from '../platform/db.ts'
import { BadRequestError, NotFoundError } from '../platform/errors.ts'
import { placeMoments, type PassageCues, type PreparedPassages } from '../retrieval/hitMoments.ts'
import { fuseRankings, type RankedResult } from '../retrieval/hybridSearch.ts'
import { rankCollections } from '../retrieval/searchCollections.ts'
import type { Hit } from '../retrieval/model.ts'
import type { Reranker } from '../retrieval/reranker.ts'
import type { PassageMoments } from '../retrieval/selectMoment.ts'
import { listMessages, type MessageRow } from './messageSql.ts'
import type { SearchPlan } from './searchQuery.ts'
import * as q from './sql.ts'

/** `reranker`: reorders each search's top fused passages (RERANK_BASE_URL); absent: the fused order. */
export type ChatDeps = GenerationDeps & { reranker?: Reranker | null }

// Weight of the previous question when a no-model follow-up is searched with it.
const CONTEXT_WEIGHT = 0.5

/** The user's own conversation in a collection they may still read (unshared since: not found). */
export async function requireConversation(sql: Sql, userId: string, conversationId: string): Promise<q.ConversationRow> {
  const conversation = await q.getMemberConversation(sql, userId, conversationId)
  if (!conversation) throw new NotFoundError('Conversation')
  return conversation
}

/** A conversation the access guard has cleared for the caller (theirs, or shared with them). */
export async function loadConversation(sql: Sql, conversationId: string): Promise<q.ConversationRow> {
  const conversation = await q.getConversationById(sql, conversationId)
  if (!conversation) throw new NotFoundError('Conversation')
  return conversation
}

/** A conversation the user owns and may still read, with its messages (artifacts are written from them; read side by side, dropped unseen when the check throws). */
export async function readConversation(
  sql: Sql,
  userId: string,
  conversationId: string,
): Promise<{ conversation: q.ConversationRow; messages: MessageRow[] }> {
  const [conversation, messages] = await Promise.all([requireConversation(sql, userId, conversationId), listMessages(sql, conversationId)])
  return { conversation, messages }
}

/** Sets the videos a conversation's answers draw on ([] = the whole collection); 400 for a video of another collection. */
export async function chooseSources(tx: Db, conversationId: string, videoIds: readonly string[]): Promise<void> {
  if (!(await q.setConversationSources(tx, conversationId, videoIds)))
    throw new BadRequestError('source_not_in_collection', 'Every chosen source must be a video of the conversation’s collection.')
}

export type RetrievedSources = {
  sources: SourceView[]
  texts: { n: number; text: string }[]
  /** The sources' timed cues, by chunk id. */
  cues: PassageCues
  /** The sources prepared for moment selection: the answer's citations are placed from them. */
  prepared: PreparedPassages
}

/**
 * `videoIds`: search only these videos of the collections (empty or absent:
 * all); `minSimilarity`: the conversation's relevance floor. Moments are
 * placed once the sources are chosen, on those only.
 */
export async function retrieveSources(
  deps: ChatDeps,
  collectionIds: string[],
  plan: Pick<SearchPlan, 'query' | 'context'>,
  k: number,
  videoIds: readonly string[] = [],
  minSimilarity = 0,
): Promise<RetrievedSources> {
  const search = (query: string): Promise<RankedResult> =>
    rankCollections(deps.sql, deps.config, {
      collectionIds,
      videoIds,
      query: query.slice(0, 1000),
      k,
      // Sources show their own plain snippet (toSourceView): no ts_headline per hit.
      snippets: false,
      minSimilarity,
      reranker: deps.reranker,
      onEmbeddingError: (err) => deps.logger.warn('query embedding failed; full text only', { err }),
    })
  const prepared = new Map<number, PassageMoments>()
  let hits: Hit[]
  let cues: PassageCues
  if (!plan.context) {
    const own = await search(plan.query)
    cues = own.cues
    hits = placeMoments(own.hits, plan.query, cues, prepared)
  } else {
    // The question alone, and with the previous one at a lower weight: the
    // follow-up's own words decide, the context only tips the balance.
    const joint = `${plan.query}\n${plan.context}`
    const [own, both] = await Promise.all([search(plan.query), search(joint)])
    const byId = new Map([...both.hits, ...own.hits].map((h) => [h.chunkId, h]))
    const ownIds = new Set(own.hits.map((h) => h.chunkId))
    const kept = fuseRankings([own.hits.map((h) => h.chunkId), both.hits.map((h) => h.chunkId)], undefined, [1, CONTEXT_WEIGHT])
      .slice(0, k)
      .map((f) => byId.get(f.chunkId)!)
    cues = new Map([...both.cues, ...own.cues])
    // A passage the question found on its own opens where the question points; one only the context found, where both do.
    hits = kept.map((h) => placeMoments([h], ownIds.has(h.chunkId) ? plan.query : joint, cues, prepared)[0]!)
  }
  return {
    sources: hits.map((h, i) => toSourceView(h, i + 1, snippetAtMoment(h.text, cues.get(h.chunkId), h.momentStartMs, h.speakers))),
    texts: hits.map((h, i) => ({ n: i + 1, text: h.text })),
    cues,
    prepared,
  }
}
