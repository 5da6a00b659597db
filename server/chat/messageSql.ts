// Queries of a conversation's messages: a question and its answer stored
// together, the answer's retrieval, finish and stop, and the answers whose api
// instance died. Conversations themselves are queried in sql.ts.
import { columnsOf, type Db, type SqlStep } from '../platform/db.ts'
import type { GenerationResult } from '../generation/generation.ts'
import type { SourceView } from '../generation/model.ts'

export type MessageRow = {
  id: string
  conversationId: string
  role: 'user' | 'assistant'
  content: string
  citations: SourceView[]
  sources: SourceView[]
  model: string | null
  mode: 'llm' | 'extractive'
  inputTokens: number | null
  outputTokens: number | null
  status: 'streaming' | 'complete' | 'stopped' | 'failed'
  error: string | null
  ttftMs: number | null
  /** What a user message was searched as, when a model rewrote it into a standalone query. */
  searchQuery: string | null
  totalMs: number | null
  createdAt: Date
  completedAt: Date | null
}

const MESSAGE_COLUMNS = columnsOf<MessageRow>()([
  'id',
  'conversationId',
  'role',
  'content',
  'citations',
  'sources',
  'model',
  'mode',
  'inputTokens',
  'outputTokens',
  'status',
  'error',
  'ttftMs',
  'totalMs',
  'searchQuery',
  'createdAt',
  'completedAt',
])

export async function listMessages(db: Db, conversationId: string): Promise<MessageRow[]> {
  return db<MessageRow[]>`select ${db(MESSAGE_COLUMNS)} from messages where conversation_id = ${conversationId} order by created_at, id`
}

export async function getMessage(db: Db, conversationId: string, messageId: string): Promise<MessageRow | undefined> {
  const [row] = await db<
    MessageRow[]
  >`select ${db(MESSAGE_COLUMNS)} from messages where id = ${messageId} and conversation_id = ${conversationId}`
  return row
}

/**
 * A question, its (still empty) answer `messageId`, the conversation's touch
 * and `alongside` (writes that must happen with the answer: its quota charge's
 * binding, its lease) in one statement: atomic on its own, one round trip and
 * no transaction. `searchQuery`: what the question was searched as when that
 * differs from it (a rewritten follow-up); `title`: renames the conversation.
 */
export async function insertExchange(
  db: Db,
  conversationId: string,
  p: {
    messageId: string
    alongside: (SqlStep | null)[]
    question: string
    searchQuery: string | null
    sources: SourceView[]
    model: string
    mode: 'llm' | 'extractive'
    title: string | null
  },
): Promise<{ userMessageId: string }> {
  const steps = p.alongside.filter((s): s is SqlStep => s !== null)
  // The answer is ordered after the question: clock_timestamp() runs past the statement's now().
  const [row] = await db<{ userMessageId: string }[]>`
    with asked as (
      insert into messages (conversation_id, role, content, status, search_query)
      values (${conversationId}, 'user', ${p.question}, 'complete', ${p.searchQuery}) returning id
    ), answer as (
      insert into messages (id, conversation_id, role, content, status, sources, model, mode, created_at)
      values (${p.messageId}, ${conversationId}, 'assistant', '', 'streaming', ${db.json(p.sources as never)}, ${p.model}, ${p.mode},
              greatest(clock_timestamp(), now() + interval '1 microsecond'))
    ), touched as (
      update conversations set updated_at = now(), title = coalesce(${p.title}::text, title) where id = ${conversationId}
    )${steps.length ? steps.map((step, i) => db`, ${db(`step${i}`)} as (${step})`) : db``}
    select id as user_message_id from asked`
  return row!
}

/** What the answer's retrieval found: the answer's sources and the question as it was searched. */
export async function recordRetrieval(
  db: Db,
  p: { messageId: string; userMessageId: string; searchQuery: string | null; sources: SourceView[] },
): Promise<void> {
  await db`
    with asked as (update messages set search_query = ${p.searchQuery} where id = ${p.userMessageId})
    update messages set sources = ${db.json(p.sources as never)} where id = ${p.messageId}`
}

/**
 * Deletes the messages an edited or regenerated question replaces, unless one
 * of them is still being answered; false then (nothing deleted). Locks them, so
 * a stop or finish racing with this waits for it.
 */
export async function deleteReplacedMessages(db: Db, conversationId: string, ids: string[]): Promise<boolean> {
  const rows = await db<{ status: string }[]>`
    select status from messages where conversation_id = ${conversationId} and id in ${db(ids)} for update`
  if (rows.some((r) => r.status === 'streaming')) return false
  await db`delete from messages where conversation_id = ${conversationId} and id in ${db(ids)}`
  return true
}

/** Saves an answer's end; false when it was no longer streaming (settled by another instance). */
export async function finishMessage(db: Db, messageId: string, r: GenerationResult): Promise<boolean> {
  const saved = await db`
    update messages set
      content = ${r.content}, citations = ${db.json(r.citations as never)}, status = ${r.status}, error = ${r.error},
      model = ${r.model}, mode = ${r.mode}, input_tokens = ${r.inputTokens}, output_tokens = ${r.outputTokens},
      ttft_ms = ${r.ttftMs}, total_ms = ${r.totalMs}, completed_at = now()
    where id = ${messageId} and status = 'streaming'`
  return saved.count > 0
}

/** An answer whose api instance died: failed, keeping exactly the text that was streamed (generation/abandoned.ts). */
export async function failInterruptedAnswer(db: Db, messageId: string, content: string, error: string): Promise<number> {
  const r = await db`
    update messages set status = 'failed', error = ${error}, content = ${content}, completed_at = now()
    where id = ${messageId} and role = 'assistant' and status = 'streaming'`
  return r.count
}

/** Answers whose api process died mid-stream would otherwise show as "streaming" forever. */
export async function failAbandonedAnswers(db: Db): Promise<number> {
  const r = await db`
    update messages set status = 'failed', error = 'The answer was interrupted by a server restart.'
    where status = 'streaming' and created_at < now() - interval '1 hour'`
  return r.count
}

export async function markStopRequested(db: Db, messageId: string): Promise<boolean> {
  const r = await db`update messages set stop_requested_at = now() where id = ${messageId} and status = 'streaming'`
  return r.count > 0
}
