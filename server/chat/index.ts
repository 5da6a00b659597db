// Routes of the chat capability: conversations, asking (SSE), resuming and
// stopping an answer on any instance, search and export.
import { Elysia, t } from 'elysia'
import { authContext, streamOwner } from '../auth/guard.ts'
import { accessContext } from '../collections/accessGuard.ts'
import { setUsageHeaders } from '../platform/usageHeaders.ts'
import type { StreamAccess, StreamOwner } from '../platform/streamAccess.ts'
import { GenerationModel } from '../generation/model.ts'
import { parseLastEventId, streamResponse } from '../generation/streamResponse.ts'
import { BadRequestError, NotFoundError } from '../platform/errors.ts'
import { requestMeta } from '../platform/requestContext.ts'
import { highlightHtml } from '../retrieval/highlight.ts'
import { answerOptions, applySettings, DEFAULT_SETTINGS } from './answerSettings.ts'
import { askQuestion } from './askQuestion.ts'
import { attachment, conversationToMarkdown, exportFileName } from './exportConversation.ts'
import { getMessage, listMessages, markStopRequested } from './messageSql.ts'
import { ChatModel } from './model.ts'
import * as service from './service.ts'
import * as q from './sql.ts'
import { conversationView, messageView } from './views.ts'

function encodeCursor(c: q.ConversationRow): string {
  return Buffer.from(JSON.stringify([c.updatedAt.toISOString(), c.id])).toString('base64url')
}

function decodeCursor(raw: string | undefined): { updatedAt: Date; id: string } | null {
  if (!raw) return null
  try {
    const [updatedAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [string, string]
    const d = new Date(updatedAt)
    if (Number.isNaN(d.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error()
    return { updatedAt: d, id }
  } catch {
    throw new BadRequestError('cursor_invalid', 'The cursor is not one this API returned.')
  }
}

export function chatRoutes(deps: service.ChatDeps & { access: StreamAccess }) {
  const { sql, hub } = deps
  // The stream ends when the reader's session ends or they lose the collection.
  const follow = (request: Request, owner: StreamOwner, conversationId: string, messageId: string, afterSeq: number) =>
    streamResponse(
      request,
      hub,
      sql,
      messageId,
      afterSeq,
      async () => {
        const m = await getMessage(sql, conversationId, messageId)
        if (!m || m.status === 'streaming') return null
        return {
          terminal: true,
          done: {
            messageId,
            conversationId,
            status: m.status,
            mode: m.mode,
            model: m.model,
            content: m.content,
            usage: { inputTokens: m.inputTokens, outputTokens: m.outputTokens },
            timings: { ttftMs: m.ttftMs, totalMs: m.totalMs },
          },
        }
      },
      { guard: deps.access, owner },
    )

  return new Elysia({ name: 'chat', prefix: '/api/conversations' })
    .use(authContext)
    .use(accessContext)
    .get(
      '/',
      async ({ auth, query }) => {
        const limit = query.limit ?? 20
        const rows = await q.listConversations(sql, auth.userId, {
          limit: limit + 1,
          before: decodeCursor(query.cursor),
          collectionId: query.collectionId ?? null,
        })
        const page = rows.slice(0, limit)
        return { items: page.map(conversationView), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null }
      },
      {
        query: ChatModel.listQuery,
        response: ChatModel.conversationPage,
        detail: { summary: 'Your conversations, most recent first (cursor-paginated)', tags: ['chat'] },
      },
    )
    .get(
      '/search',
      async ({ auth, query }) => {
        const rows = await q.searchConversations(sql, auth.userId, query.q, query.limit ?? 20, query.collectionId ?? null)
        return rows.map((r) => ({ conversation: conversationView(r), snippetHtml: highlightHtml(r.snippet) }))
      },
      {
        query: ChatModel.searchQuery,
        response: t.Array(ChatModel.searchHit),
        detail: { summary: 'Full-text search across your conversations', tags: ['chat'] },
      },
    )
    .get('/answer-options', () => answerOptions(deps.config), {
      response: ChatModel.answerOptions,
      detail: { summary: 'What a conversation’s answer settings may choose on this server (models, defaults)', tags: ['chat'] },
    })
    .post(
      '/',
      async ({ auth, body, set }) => {
        const id = await sql.begin(async (tx) => {
          const settings = body.settings && applySettings(deps.config, DEFAULT_SETTINGS, body.settings)
          const id = await q.insertConversation(tx, auth.userId, body.collectionId, body.title?.trim() || 'New conversation')
          if (body.videoIds?.length) await service.chooseSources(tx, id, body.videoIds)
          if (settings) await q.setConversationSettings(tx, id, settings)
          return id
        })
        set.status = 201
        set.headers.location = `/api/conversations/${id}`
        return conversationView((await q.getConversation(sql, auth.userId, id))!)
      },
      {
        body: ChatModel.create,
        response: { 201: ChatModel.conversation },
        detail: {
          summary: 'Start a conversation about a collection, or about chosen videos of it (`videoIds`), with answer `settings`',
          tags: ['chat'],
        },
      },
    )
    .get(
      '/:id',
      async ({ params }) => {
        const c = await service.loadConversation(sql, params.id)
        return { ...conversationView(c), messages: (await listMessages(sql, c.id)).map(messageView) }
      },
      { params: ChatModel.conversationParams, detail: { summary: 'A conversation with all its messages and citations', tags: ['chat'] } },
    )
    .patch(
      '/:id',
      async ({ auth, params, body }) => {
        const found = await sql.begin(async (tx) => {
          if (!(await q.updateConversation(tx, auth.userId, params.id, { title: body.title?.trim(), shared: body.shared }))) return false
          if (body.videoIds) await service.chooseSources(tx, params.id, body.videoIds)
          if (body.settings) {
            const current = (await q.getConversation(tx, auth.userId, params.id))!.settings
            await q.setConversationSettings(tx, params.id, applySettings(deps.config, current, body.settings))
          }
          return true
        })
        if (!found) throw new NotFoundError('Conversation')
        return conversationView((await q.getConversation(sql, auth.userId, params.id))!)
      },
      {
        params: ChatModel.conversationParams,
        body: ChatModel.update,
        response: ChatModel.conversation,
        detail: {
          summary:
            'Rename a conversation, choose its sources (`videoIds`) or answer `settings`, or share it read-only with the collection’s members',
          tags: ['chat'],
        },
      },
    )
    .delete(
      '/:id',
      async ({ auth, params, set }) => {
        if (!(await q.deleteConversation(sql, auth.userId, params.id))) throw new NotFoundError('Conversation')
        set.status = 204
      },
      { params: ChatModel.conversationParams, detail: { summary: 'Delete a conversation', tags: ['chat'] } },
    )
    .post(
      '/:id/messages',
      async ({ auth, access, params, body, request }) => {
        const { messageId, usage } = await askQuestion(
          deps,
          auth.userId,
          params.id,
          body.content.trim(),
          body.k,
          requestMeta(request).startedAt,
          body.replacing,
        )
        const response = await follow(request, streamOwner(auth, access.collectionId), params.id, messageId, 0)
        // Known before the first event: a client that loses the connection early can still resume or stop.
        response.headers.set('x-message-id', messageId)
        if (usage) setUsageHeaders(response.headers, usage)
        return response
      },
      {
        params: ChatModel.conversationParams,
        body: ChatModel.ask,
        detail: {
          summary: 'Ask a question; the answer streams as Server-Sent Events',
          description:
            'The response starts at once with the answer’s id in `X-Message-Id`; the follow-up rewrite and the search run after it. Events, each with an `id`: `sources` (when the passages are found) → `token`… → `citations` → `done` (or `error`, e.g. `search_failed`). Closing the connection does not stop the answer; resume with GET …/messages/:messageId/stream and `Last-Event-ID`.',
          tags: ['chat'],
        },
      },
    )
    .get(
      '/:id/messages/:messageId/stream',
      async ({ auth, access, params, query, request }) => {
        if (!(await getMessage(sql, params.id, params.messageId))) throw new NotFoundError('Message')
        return follow(
          request,
          streamOwner(auth, access.collectionId),
          params.id,
          params.messageId,
          parseLastEventId(request, query.lastEventId),
        )
      },
      {
        params: ChatModel.messageParams,
        query: GenerationModel.streamQuery,
        detail: { summary: 'Resume (or watch) an answer from Last-Event-ID, on any api instance', tags: ['chat'] },
      },
    )
    .post(
      '/:id/messages/:messageId/stop',
      async ({ params, set }) => {
        const m = await getMessage(sql, params.id, params.messageId)
        if (!m || m.role !== 'assistant') throw new NotFoundError('Message')
        if (await markStopRequested(sql, params.messageId)) await hub.requestStop(params.messageId)
        set.status = 202
        return { id: m.id, stopping: m.status === 'streaming' }
      },
      {
        params: ChatModel.messageParams,
        detail: { summary: 'Stop an answer that is being generated (any instance); the partial answer is kept', tags: ['chat'] },
      },
    )
    .get(
      '/:id/export',
      async ({ params, query, set }) => {
        const c = await service.loadConversation(sql, params.id)
        const messages = await listMessages(sql, c.id)
        if (query.format === 'json') {
          set.headers['content-disposition'] = attachment(exportFileName(c.title, 'json'))
          return { ...conversationView(c), messages: messages.map(messageView), exportedAt: new Date().toISOString() }
        }
        set.headers['content-type'] = 'text/markdown; charset=utf-8'
        set.headers['content-disposition'] = attachment(exportFileName(c.title, 'md'))
        return conversationToMarkdown(c, messages)
      },
      {
        params: ChatModel.conversationParams,
        query: ChatModel.exportQuery,
        detail: { summary: 'Export as Markdown (default; citations become timestamp links) or JSON', tags: ['chat'] },
      },
    )
}

/** "Shared in this collection": conversations its members have shared read-only. */
export function sharedConversationRoutes(deps: { sql: service.ChatDeps['sql'] }) {
  return new Elysia({ name: 'chat-shared', prefix: '/api/collections' })
    .use(accessContext)
    .get(
      '/:id/shared-conversations',
      async ({ access }) => (await q.listSharedConversations(deps.sql, access.collectionId)).map(conversationView),
      {
        params: ChatModel.collectionParams,
        response: t.Array(ChatModel.conversation),
        detail: { summary: 'Conversations shared read-only with the members of a collection', tags: ['chat'] },
      },
    )
}
