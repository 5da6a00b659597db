// Rows to API shapes.
import type { ConversationView, MessageView } from './model.ts'
import type { MessageRow } from './messageSql.ts'
import type { ConversationRow } from './sql.ts'

export function conversationView(c: ConversationRow): ConversationView {
  return {
    id: c.id,
    collectionId: c.collectionId,
    collectionName: c.collectionName,
    author: { id: c.authorId, displayName: c.authorName },
    shared: c.shared,
    title: c.title,
    sourceVideoIds: c.sourceVideoIds,
    settings: c.settings,
    messageCount: c.messageCount,
    lastMessage: c.lastMessage,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}

export function messageView(m: MessageRow): MessageView {
  return {
    id: m.id,
    role: m.role,
    content: m.content,
    citations: m.citations,
    sources: m.sources,
    model: m.model,
    mode: m.mode,
    status: m.status,
    error: m.error,
    usage: { inputTokens: m.inputTokens, outputTokens: m.outputTokens },
    timings: { ttftMs: m.ttftMs, totalMs: m.totalMs },
    searchQuery: m.searchQuery,
    createdAt: m.createdAt.toISOString(),
  }
}
