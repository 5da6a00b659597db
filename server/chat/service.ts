// Asking a question: check access, reserve quota, retrieve, then hand the
// answer to a server-owned generation and return its stream id (the assistant
// message id). The HTTP request only watches; closing it stops nothing.
import { requireCollectionRole } from '../collections/access.ts'
import { chooseProvider } from '../generation/chooseProvider.ts'
import { runGeneration, type GenerationDeps } from '../generation/generation.ts'
import type { SourceView } from '../generation/model.ts'
import { toSourceView } from '../generation/views.ts'
import type { Sql } from '../platform/db.ts'
import { NotFoundError } from '../platform/errors.ts'
import { closeTicket, type QuotaTicket, type QuotaUsage } from '../platform/quotaGate.ts'
import { searchCollections } from '../retrieval/hybridSearch.ts'
import { buildMessages, SYSTEM_PROMPT } from './prompt.ts'
import * as q from './sql.ts'

export type ChatDeps = GenerationDeps

/** A follow-up ("and what about its speed?") is searched together with the question before it. */
export function retrievalQuery(question: string, history: { role: string; content: string }[]): string {
  const previous = history.filter((m) => m.role === 'user').at(-1)?.content ?? ''
  return `${question}\n${previous}`.slice(0, 1000)
}

export async function requireConversation(sql: Sql, userId: string, conversationId: string): Promise<q.ConversationRow> {
  const conversation = await q.getConversation(sql, userId, conversationId)
  if (!conversation) throw new NotFoundError('Conversation')
  return conversation
}

/** A conversation the access guard has cleared for the caller (theirs, or shared with them). */
export async function loadConversation(sql: Sql, conversationId: string): Promise<q.ConversationRow> {
  const conversation = await q.getConversationById(sql, conversationId)
  if (!conversation) throw new NotFoundError('Conversation')
  return conversation
}

/** A conversation the user owns and may still read, with its messages (artifacts are written from them). */
export async function readConversation(sql: Sql, userId: string, conversationId: string): Promise<{ conversation: q.ConversationRow; messages: q.MessageRow[] }> {
  const conversation = await requireConversation(sql, userId, conversationId)
  await requireCollectionRole(sql, userId, conversation.collectionId, 'viewer')
  return { conversation, messages: await q.listMessages(sql, conversationId) }
}

export async function retrieveSources(deps: ChatDeps, collectionIds: string[], query: string, k: number): Promise<{ sources: SourceView[]; texts: { n: number; text: string }[] }> {
  const { hits } = await searchCollections(deps.sql, deps.config, {
    collectionIds,
    query,
    k,
    onEmbeddingError: (err) => deps.logger.warn('query embedding failed; full text only', { err }),
  })
  return { sources: hits.map((h, i) => toSourceView(h, i + 1)), texts: hits.map((h, i) => ({ n: i + 1, text: h.text })) }
}

export async function askQuestion(deps: ChatDeps, userId: string, conversationId: string, question: string, k?: number): Promise<{ messageId: string; userMessageId: string; usage: QuotaUsage | null }> {
  const conversation = await requireConversation(deps.sql, userId, conversationId)
  // The conversation's collection may have been unshared since.
  await requireCollectionRole(deps.sql, userId, conversation.collectionId, 'viewer')
  const ticket = await deps.quota.reserve(userId, 'message')
  try {
    const ids = await startAnswer(deps, conversation, question, k, ticket)
    return { ...ids, usage: ticket.usage }
  } catch (err) {
    // Refused or broken before the answer started: the message is not charged.
    await ticket.refund('the question failed before the answer started')
    throw err
  }
}

async function startAnswer(deps: ChatDeps, conversation: q.ConversationRow, question: string, k: number | undefined, ticket: QuotaTicket): Promise<{ messageId: string; userMessageId: string }> {
  const conversationId = conversation.id
  const history = (await q.listMessages(deps.sql, conversationId)).filter((m) => m.status !== 'streaming')
  const { sources, texts } = await retrieveSources(deps, [conversation.collectionId], retrievalQuery(question, history), k ?? deps.config.SEARCH_TOP_K)
  const { provider, notice } = chooseProvider(deps.config, question, texts)

  const { messageId, userMessageId } = await deps.sql.begin(async (tx) => {
    const userMessageId = await q.insertUserMessage(tx, conversationId, question)
    const messageId = await q.insertAssistantMessage(tx, conversationId, { sources, model: provider.model, mode: provider.mode })
    await q.touchConversation(tx, conversationId)
    // A new conversation is named after its first question.
    if (history.length === 0 && conversation.title === 'New conversation') await q.setConversationTitle(tx, conversationId, question.replace(/\s+/g, ' ').slice(0, 80))
    return { messageId, userMessageId }
  })

  const promptSources = sources.map((s, i) => ({ n: s.n, videoTitle: s.videoTitle, startMs: s.startMs, endMs: s.endMs, speakers: s.speakers, text: texts[i]!.text }))
  void runGeneration(deps.hub, deps.logger, {
    kind: 'answer',
    metrics: deps.metrics,
    streamId: messageId,
    provider,
    system: SYSTEM_PROMPT,
    messages: buildMessages(history.map((m) => ({ role: m.role, content: m.content })), question, promptSources),
    maxTokens: deps.config.LLM_MAX_TOKENS,
    temperature: deps.config.LLM_TEMPERATURE,
    sources,
    notice,
    meta: { messageId, conversationId },
    onFinish: async (result) => {
      await q.finishMessage(deps.sql, messageId, result)
      await closeTicket(ticket, result)
    },
  }).catch((err) => deps.logger.error('generation crashed', { messageId, err }))
  return { messageId, userMessageId }
}
