// Queries of the chat capability: conversations. A conversation is private to
// its author unless shared with the collection; routes reach one by id only
// after the access guard has checked exactly that, and lists filter by author
// and membership. A conversation's messages are queried in messageSql.ts.
import type { Db } from '../platform/db.ts'
import { HIGHLIGHT_START, HIGHLIGHT_STOP } from '../retrieval/highlight.ts'
import type { Role } from '../collections/accessRules.ts'
import type { AnswerSettings } from './answerSettings.ts'

const SNIPPET_HEADLINE = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}, MaxWords=30, MinWords=10`

export type ConversationRow = {
  id: string
  collectionId: string
  collectionName: string
  authorId: string
  authorName: string
  shared: boolean
  title: string
  sourceVideoIds: string[]
  settings: AnswerSettings
  createdAt: Date
  updatedAt: Date
  messageCount: number
  lastMessage: string | null
}

const CONVERSATION_SELECT = (db: Db) => db`
  select c.id, c.collection_id, col.name as collection_name, c.user_id as author_id, u.display_name as author_name,
         c.shared_at is not null as shared, c.title, c.created_at, c.updated_at,
         array(select cs.video_id::text from conversation_sources cs where cs.conversation_id = c.id order by cs.video_id) as source_video_ids,
         json_build_object('useRag', c.use_rag, 'maxContextChunks', c.max_context_chunks, 'minSimilarity', c.min_similarity,
                           'temperature', c.temperature, 'model', c.model) as settings,
         (select count(*)::int from messages m where m.conversation_id = c.id) as message_count,
         (select left(m.content, 200) from messages m where m.conversation_id = c.id order by m.created_at desc limit 1) as last_message
  from conversations c join collections col on col.id = c.collection_id join users u on u.id = c.user_id`

// A removed member's conversations stay stored but out of their lists.
const STILL_MEMBER = (db: Db, userId: string) =>
  db`exists (select 1 from collection_members cm where cm.collection_id = c.collection_id and cm.user_id = ${userId})`

export async function insertConversation(db: Db, userId: string, collectionId: string, title: string): Promise<string> {
  const [row] = await db<
    { id: string }[]
  >`insert into conversations (user_id, collection_id, title) values (${userId}, ${collectionId}, ${title}) returning id`
  return row!.id
}

/** The author's own conversation. */
export async function getConversation(db: Db, userId: string, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db<ConversationRow[]>`${CONVERSATION_SELECT(db)} where c.id = ${id} and c.user_id = ${userId}`
  return row
}

/** The user's own conversation, while they are still a member of its collection (one statement for both checks). */
export async function getMemberConversation(db: Db, userId: string, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db<
    ConversationRow[]
  >`${CONVERSATION_SELECT(db)} where c.id = ${id} and c.user_id = ${userId} and ${STILL_MEMBER(db, userId)}`
  return row
}

/** Any conversation, for routes the access guard has cleared (the author, or a member of a shared one). */
export async function getConversationById(db: Db, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db<ConversationRow[]>`${CONVERSATION_SELECT(db)} where c.id = ${id}`
  return row
}

/** For the access guard: whose conversation it is, where, whether it is shared, and the caller's role there (null: not a member). */
export async function getConversationAccess(
  db: Db,
  id: string,
  userId: string,
): Promise<{ collectionId: string; authorId: string; shared: boolean; role: Role | null } | undefined> {
  const [row] = await db<{ collectionId: string; authorId: string; shared: boolean; role: Role | null }[]>`
    select c.collection_id, c.user_id as author_id, c.shared_at is not null as shared, cm.role
    from conversations c left join collection_members cm on cm.collection_id = c.collection_id and cm.user_id = ${userId}
    where c.id = ${id}`
  return row
}

export async function listSharedConversations(db: Db, collectionId: string): Promise<ConversationRow[]> {
  return db<
    ConversationRow[]
  >`${CONVERSATION_SELECT(db)} where c.collection_id = ${collectionId} and c.shared_at is not null order by c.updated_at desc, c.id desc limit 200`
}

/** Most recent first; the cursor is the last row's (updated_at, id). */
export async function listConversations(
  db: Db,
  userId: string,
  p: { limit: number; before?: { updatedAt: Date; id: string } | null; collectionId?: string | null },
): Promise<ConversationRow[]> {
  return db<ConversationRow[]>`
    ${CONVERSATION_SELECT(db)}
    where c.user_id = ${userId} and ${STILL_MEMBER(db, userId)}
      ${p.collectionId ? db`and c.collection_id = ${p.collectionId}` : db``}
      ${p.before ? db`and (c.updated_at, c.id) < (${p.before.updatedAt}, ${p.before.id})` : db``}
    order by c.updated_at desc, c.id desc
    limit ${p.limit}`
}

export type ConversationSearchRow = ConversationRow & { snippet: string; rank: number }

export async function searchConversations(
  db: Db,
  userId: string,
  query: string,
  limit: number,
  collectionId: string | null = null,
): Promise<ConversationSearchRow[]> {
  return db<ConversationSearchRow[]>`
    with q as (select websearch_to_tsquery('simple', ${query}) as query),
    hits as (
      select c.id as conversation_id, ts_rank_cd(c.title_tsv, q.query) * 2 as rank, null::uuid as message_id
      from conversations c, q where c.user_id = ${userId} and ${STILL_MEMBER(db, userId)} and c.title_tsv @@ q.query
        ${collectionId ? db`and c.collection_id = ${collectionId}` : db``}
      union all
      select m.conversation_id, ts_rank_cd(m.tsv, q.query), m.id
      from messages m join conversations c on c.id = m.conversation_id, q
      where c.user_id = ${userId} and ${STILL_MEMBER(db, userId)} and m.tsv @@ q.query
        ${collectionId ? db`and c.collection_id = ${collectionId}` : db``}
    ),
    best as (
      select distinct on (conversation_id) conversation_id, rank, message_id
      from hits order by conversation_id, rank desc
    )
    select conv.*, b.rank,
           coalesce((select ts_headline('simple', m.content, q.query, ${SNIPPET_HEADLINE})
                     from messages m, q where m.id = b.message_id), conv.title) as snippet
    from best b
    join lateral (${CONVERSATION_SELECT(db)} where c.id = b.conversation_id) conv on true
    order by b.rank desc, conv.updated_at desc
    limit ${limit}`
}

/** Renames and/or shares (read-only, with the collection's members) or unshares the author's conversation. */
export async function updateConversation(
  db: Db,
  userId: string,
  id: string,
  patch: { title?: string; shared?: boolean },
): Promise<boolean> {
  const shared = patch.shared === undefined ? null : patch.shared
  const r = await db`
    update conversations set
      title = coalesce(${patch.title ?? null}, title),
      shared_at = case when ${shared}::boolean is null then shared_at when ${shared}::boolean then coalesce(shared_at, now()) else null end,
      updated_at = case when ${patch.title ?? null}::text is null then updated_at else now() end
    where id = ${id} and user_id = ${userId}`
  return r.count > 0
}

/** Writes the conversation's answer settings (checked by answerSettings.applySettings). */
export async function setConversationSettings(db: Db, conversationId: string, s: AnswerSettings): Promise<void> {
  await db`
    update conversations set use_rag = ${s.useRag}, max_context_chunks = ${s.maxContextChunks}, min_similarity = ${s.minSimilarity},
                             temperature = ${s.temperature}, model = ${s.model}
    where id = ${conversationId}`
}

/**
 * Replaces the conversation's chosen sources; [] means the whole collection.
 * False when a video is not in the conversation's collection (nothing changed then).
 */
export async function setConversationSources(tx: Db, conversationId: string, videoIds: readonly string[]): Promise<boolean> {
  await tx`delete from conversation_sources where conversation_id = ${conversationId}`
  if (videoIds.length === 0) return true
  const r = await tx`
    insert into conversation_sources (conversation_id, video_id)
    select c.id, v.id from conversations c join videos v on v.collection_id = c.collection_id
    where c.id = ${conversationId} and v.id = any(${videoIds as string[]}::uuid[])`
  return r.count === new Set(videoIds).size
}

export async function deleteConversation(db: Db, userId: string, id: string): Promise<boolean> {
  const r = await db`delete from conversations where id = ${id} and user_id = ${userId}`
  return r.count > 0
}
