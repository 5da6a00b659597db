// Asking a question: check access, reserve quota, store the question, then hand
// the answer to a server-owned generation (it rewrites a follow-up, retrieves,
// then calls the model) and return its stream id (the assistant message id).
// The HTTP request only watches; closing it stops nothing.
import { chooseProvider, languageModel } from '../generation/chooseProvider.ts'
import { runGeneration, type Prepared } from '../generation/generation.ts'
import type { Db } from '../platform/db.ts'
import { AppError, ConflictError, NotFoundError } from '../platform/errors.ts'
import { closeTicket, type QuotaTicket, type QuotaUsage } from '../platform/quotaGate.ts'
import { resolveSettings } from './answerSettings.ts'
import { deleteReplacedMessages, finishMessage, insertExchange, listMessages, recordRetrieval, type MessageRow } from './messageSql.ts'
import { buildMessages, MODEL_ONLY_PROMPT, SYSTEM_PROMPT } from './prompt.ts'
import { planSearch, type SearchPlan } from './searchQuery.ts'
import { requireConversation, retrieveSources, type ChatDeps } from './service.ts'
import type { ConversationRow } from './sql.ts'

const REWRITE_TIMEOUT_MS = 10_000

/** The last question of the conversation (as it was searched) and the answer it got. */
function previousExchange(history: MessageRow[]): { question: string; answer: string | null } | null {
  const i = history.findLastIndex((m) => m.role === 'user')
  if (i === -1) return null
  const asked = history[i]!
  const answer = history.slice(i + 1).find((m) => m.role === 'assistant')?.content ?? null
  return { question: asked.searchQuery ?? asked.content, answer }
}

/**
 * The search plan for a question; a failing rewrite falls back to searching without the model.
 * The rewrite is one short call on the way to the first token, so it has a model of its own
 * (ANTHROPIC_REWRITE_MODEL, e.g. a fast Haiku one); the conversation's model answers.
 */
async function searchPlanFor(deps: ChatDeps, question: string, history: MessageRow[], stop: AbortSignal): Promise<SearchPlan> {
  const previous = previousExchange(history)
  const model = languageModel(deps.config, deps.config.ANTHROPIC_REWRITE_MODEL ?? deps.config.ANTHROPIC_MODEL)
  try {
    const plan = await planSearch(question, previous, model, AbortSignal.any([stop, AbortSignal.timeout(REWRITE_TIMEOUT_MS)]))
    // Counted at once, under the rewrite's own model: spent even if the answer never starts.
    if (model && plan.rewriteTokens) deps.metrics?.modelCall({ model: model.model, ...plan.rewriteTokens })
    return plan
  } catch (err) {
    if (stop.aborted) throw err
    deps.logger.warn('rewriting the follow-up failed; searching without it', { err })
    return planSearch(question, previous, null, AbortSignal.timeout(REWRITE_TIMEOUT_MS))
  }
}

/** `receivedAt`: performance.now() when the request arrived; the answer's TTFT counts from it. */
export async function askQuestion(
  deps: ChatDeps,
  userId: string,
  conversationId: string,
  question: string,
  k?: number,
  receivedAt: number = performance.now(),
  replacing?: string,
): Promise<{ messageId: string; userMessageId: string; usage: QuotaUsage | null }> {
  // Read side by side (one round trip's wait); the messages of a conversation
  // the user may not read are dropped unseen when the access check throws.
  const [conversation, messages] = await Promise.all([
    requireConversation(deps.sql, userId, conversationId),
    listMessages(deps.sql, conversationId),
  ])
  // Checked before the quota is reserved: a refused replacement costs nothing.
  const replaced = replacing ? replacedMessages(messages, replacing) : []
  const ticket = await deps.quota.reserve(userId, 'message')
  try {
    const ids = await startAnswer(deps, conversation, question, k, ticket, receivedAt, messages, replaced)
    return { ...ids, usage: ticket.usage }
  } catch (err) {
    // Refused or broken before the answer started: the message is not charged.
    await ticket.refund('the question failed before the answer started')
    throw err
  }
}

/**
 * Regenerate and edit-and-resend replace the later messages rather than branch:
 * the question before `answerId`, the answer and everything after it go, and
 * the new question and answer take their place (docs: README "Chat").
 */
function replacedMessages(messages: MessageRow[], answerId: string): MessageRow[] {
  const at = messages.findIndex((m) => m.id === answerId && m.role === 'assistant')
  if (at < 0) throw new NotFoundError('Answer')
  let from = at
  while (from > 0 && messages[from]!.role !== 'user') from--
  const replaced = messages.slice(from)
  if (replaced.some((m) => m.status === 'streaming'))
    throw new ConflictError('answer_streaming', 'An answer is still being written. Stop it or wait, then try again.')
  return replaced
}

/**
 * Stores the question and an empty answer, then starts the generation; the
 * rewrite of a follow-up and the retrieval run inside it, so the stream's
 * headers go out at once and `sources` follows when the passages are found.
 */
async function startAnswer(
  deps: ChatDeps,
  conversation: ConversationRow,
  question: string,
  k: number | undefined,
  ticket: QuotaTicket,
  receivedAt: number,
  messages: MessageRow[],
  replaced: MessageRow[],
): Promise<{ messageId: string; userMessageId: string }> {
  const conversationId = conversation.id
  const gone = new Set(replaced.map((m) => m.id))
  const history = messages.filter((m) => m.status !== 'streaming' && !gone.has(m.id))
  const settings = resolveSettings(deps.config, conversation.settings)
  // Claude when a key is configured; otherwise quotes, chosen once the sources are known.
  const initial = chooseProvider(deps.config, question, [], settings.model ?? undefined).provider

  // The answer's id is made here so its quota binding and its lease go into the statement that creates it.
  const messageId = crypto.randomUUID()
  // A new conversation is named after its first question.
  const title = history.length === 0 && conversation.title === 'New conversation' ? question.replace(/\s+/g, ' ').slice(0, 80) : null
  const exchange = (db: Db) =>
    insertExchange(db, conversationId, {
      messageId,
      alongside: [ticket.bind(db, messageId), deps.hub.lease(db, messageId)],
      question,
      searchQuery: null,
      sources: [],
      model: initial.model,
      mode: initial.mode,
      title,
    })
  // Replacing (regenerate, edit and resend): the replaced messages go in the transaction that stores the new exchange.
  const { userMessageId } = !gone.size
    ? await exchange(deps.sql)
    : await deps.sql.begin(async (tx) => {
        if (!(await deleteReplacedMessages(tx, conversationId, [...gone])))
          throw new ConflictError('answer_streaming', 'An answer is still being written. Stop it or wait, then try again.')
        return exchange(tx)
      })

  const prepare = async (signal: AbortSignal): Promise<Prepared> => {
    // Set to answer from the model alone: nothing to search, so no follow-up to rewrite either.
    const plan: SearchPlan = settings.useRag
      ? await searchPlanFor(deps, question, history, signal)
      : { query: question, context: null, rewritten: null, rewriteMs: null, rewriteTokens: null }
    const { sources, texts, cues, prepared } = settings.useRag
      ? await retrieveSources(deps, [conversation.collectionId], plan, k ?? settings.k, conversation.sourceVideoIds, settings.minSimilarity)
      : { sources: [], texts: [], cues: new Map(), prepared: new Map() }
    await recordRetrieval(deps.sql, { messageId, userMessageId, searchQuery: plan.rewritten, sources })
    // Without a model the answer quotes sentences; unpunctuated captions quote their timed lines instead.
    const { provider, notice } =
      initial.mode === 'llm'
        ? { provider: initial, notice: null }
        : chooseProvider(
            deps.config,
            question,
            texts.map((t, i) => ({ ...t, cues: cues.get(sources[i]!.chunkId) })),
            settings.model ?? undefined,
          )
    const promptSources = sources.map((s, i) => ({
      n: s.n,
      videoTitle: s.videoTitle,
      startMs: s.startMs,
      endMs: s.endMs,
      speakers: s.speakers,
      text: texts[i]!.text,
    }))
    return {
      provider,
      notice,
      sources,
      prepared,
      timings: plan.rewriteMs === null ? undefined : { rewriteMs: plan.rewriteMs },
      messages: buildMessages(
        history.map((m) => ({ role: m.role, content: m.content })),
        question,
        settings.useRag ? promptSources : null,
      ),
      meta: { messageId, conversationId, searchQuery: plan.context ? `${plan.query}\n${plan.context}` : plan.query },
    }
  }

  void runGeneration(deps.hub, deps.logger, {
    kind: 'answer',
    metrics: deps.metrics,
    sql: deps.sql,
    startedAt: receivedAt,
    streamId: messageId,
    provider: initial,
    system: settings.useRag ? SYSTEM_PROMPT : MODEL_ONLY_PROMPT,
    messages: [],
    maxTokens: deps.config.LLM_MAX_TOKENS,
    temperature: settings.temperature,
    sources: [],
    meta: { messageId, conversationId },
    prepare: (signal) =>
      prepare(signal).catch((err) => {
        if (err instanceof AppError || signal.aborted) throw err
        deps.logger.error('searching for an answer failed', { messageId, err })
        throw new AppError(
          503,
          'search_failed',
          'Search unavailable',
          'The sources could not be searched just now. Ask again in a moment.',
          { cause: err },
        )
      }),
    onFinish: async (result) => {
      if (!(await finishMessage(deps.sql, messageId, result))) return false
      await closeTicket(ticket, result)
      return true
    },
  }).catch((err) => deps.logger.error('generation crashed', { messageId, err }))
  return { messageId, userMessageId }
}
