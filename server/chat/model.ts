// Schemas of the chat routes.
import { t } from 'elysia'
import { GenerationModel } from '../generation/model.ts'

const source = GenerationModel.source

const message = t.Object({
  id: t.String(),
  role: t.Union([t.Literal('user'), t.Literal('assistant')]),
  content: t.String(),
  citations: t.Array(source),
  sources: t.Array(source),
  model: t.Nullable(t.String()),
  mode: t.Union([t.Literal('llm'), t.Literal('extractive')]),
  status: t.Union([t.Literal('streaming'), t.Literal('complete'), t.Literal('stopped'), t.Literal('failed')]),
  error: t.Nullable(t.String()),
  usage: t.Object({ inputTokens: t.Nullable(t.Integer()), outputTokens: t.Nullable(t.Integer()) }),
  /** ttftMs: from the request's arrival (retrieval and question rewriting included) to the first token. */
  timings: t.Object({ ttftMs: t.Nullable(t.Integer()), totalMs: t.Nullable(t.Integer()) }),
  /** For a question: the standalone query it was searched as, when the model rewrote a follow-up. */
  searchQuery: t.Nullable(t.String()),
  createdAt: t.String(),
})

// A conversation's answer settings; null: the server's default (GET …/answer-options says which).
const settingsFields = {
  useRag: t.Boolean({ description: 'Answer from passages of the videos (true) or from the model alone (false; needs a language model).' }),
  maxContextChunks: t.Nullable(t.Integer({ minimum: 1, maximum: 50, description: 'Passages an answer draws on.' })),
  minSimilarity: t.Nullable(
    t.Number({
      minimum: 0,
      maximum: 1,
      description: 'Relevance floor: cosine similarity of a passage to the question (needs the embeddings).',
    }),
  ),
  temperature: t.Nullable(t.Number({ minimum: 0, maximum: 1, description: 'Sampling temperature of the model.' })),
  model: t.Nullable(t.String({ minLength: 1, maxLength: 100, description: 'One of the models the server allows.' })),
}
const settings = t.Object(settingsFields)
const settingsPatch = t.Partial(t.Object(settingsFields), { minProperties: 1 })

const answerOptions = t.Object({
  languageModel: t.Boolean(),
  models: t.Array(t.String()),
  defaults: t.Object({ maxContextChunks: t.Integer(), temperature: t.Nullable(t.Number()), model: t.Nullable(t.String()) }),
})

const conversation = t.Object({
  id: t.String(),
  collectionId: t.String(),
  collectionName: t.String(),
  author: t.Object({ id: t.String(), displayName: t.String() }),
  shared: t.Boolean({ description: 'Shared read-only with the members of the collection.' }),
  title: t.String(),
  sourceVideoIds: t.Array(t.String(), { description: 'The videos answers draw on; empty: every video of the collection.' }),
  settings,
  messageCount: t.Integer(),
  lastMessage: t.Nullable(t.String()),
  createdAt: t.String(),
  updatedAt: t.String(),
})

// The conversation's chosen sources: videos of its collection; empty means all of them.
const videoIds = t.Array(t.String({ format: 'uuid' }), {
  maxItems: 500,
  uniqueItems: true,
  description: 'Answer from these videos of the collection only; [] for all of them.',
})

export const ChatModel = {
  message,
  conversation,
  answerOptions,
  conversationWithMessages: t.Composite([conversation, t.Object({ messages: t.Array(message) })]),
  conversationPage: t.Object({ items: t.Array(conversation), nextCursor: t.Nullable(t.String()) }),
  searchHit: t.Object({ conversation, snippetHtml: t.String() }),
  conversationParams: t.Object({ id: t.String({ format: 'uuid' }) }),
  messageParams: t.Object({ id: t.String({ format: 'uuid' }), messageId: t.String({ format: 'uuid' }) }),
  create: t.Object({
    collectionId: t.String({ format: 'uuid' }),
    title: t.Optional(t.String({ minLength: 1, maxLength: 300 })),
    videoIds: t.Optional(videoIds),
    settings: t.Optional(settingsPatch),
  }),
  update: t.Object(
    {
      title: t.Optional(t.String({ minLength: 1, maxLength: 300 })),
      shared: t.Optional(t.Boolean({ description: 'Share read-only with the collection’s members (true) or make private again (false).' })),
      videoIds: t.Optional(videoIds),
      settings: t.Optional(settingsPatch),
    },
    { minProperties: 1 },
  ),
  collectionParams: t.Object({ id: t.String({ format: 'uuid' }) }),
  listQuery: t.Object({
    limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
    cursor: t.Optional(t.String({ maxLength: 200 })),
    collectionId: t.Optional(t.String({ format: 'uuid' })),
  }),
  searchQuery: t.Object({
    q: t.String({ minLength: 1, maxLength: 500 }),
    limit: t.Optional(t.Integer({ minimum: 1, maximum: 50 })),
    collectionId: t.Optional(t.String({ format: 'uuid' })),
  }),
  ask: t.Object({
    content: t.String({ minLength: 1, maxLength: 8000 }),
    k: t.Optional(t.Integer({ minimum: 1, maximum: 50 })),
    replacing: t.Optional(
      t.String({
        format: 'uuid',
        description:
          'Regenerate or edit: the id of an answer. Its question, the answer and every later message are replaced by this question and its new answer.',
      }),
    ),
  }),
  exportQuery: t.Object({ format: t.Optional(t.Union([t.Literal('markdown'), t.Literal('json')])) }),
}

export type MessageView = typeof ChatModel.message.static
export type AnswerSettingsView = typeof settings.static
export type AnswerOptionsView = typeof ChatModel.answerOptions.static
export type ConversationView = typeof ChatModel.conversation.static
export type ConversationWithMessages = typeof ChatModel.conversationWithMessages.static
export type ConversationPage = typeof ChatModel.conversationPage.static
export type ConversationSearchHit = typeof ChatModel.searchHit.static
