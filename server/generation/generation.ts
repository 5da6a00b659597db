// One streamed generation (a chat answer or an artifact), owned by the server:
// it runs to the end whether or not anyone is watching, and its result is
// saved by `onFinish`. Event order: sources, token…, citations, then done or error.
import { SpanStatusCode } from '@opentelemetry/api'
import type { Config } from '../platform/config.ts'
import type { Sql } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import type { QuotaGate } from '../platform/quotaGate.ts'
import type { PreparedPassages } from '../retrieval/hitMoments.ts'
import { tracer } from '../platform/tracing.ts'
import { locateCitations } from './citationMoments.ts'
import { citedNumbers, createCitationFilter } from './citations.ts'
import { noGenerationMetrics, type GenerationKind, type GenerationMetrics } from './generationMetrics.ts'
import type { LlmMessage, LlmProvider } from './llm/types.ts'
import type { SourceView } from './model.ts'
import type { StreamHub } from './streamHub.ts'
import { createTextBuffer } from './textBuffer.ts'

/** What a capability that streams generations (chat, artifacts) is built with. */
export type GenerationDeps = { sql: Sql; config: Config; logger: Logger; hub: StreamHub; quota: QuotaGate; metrics?: GenerationMetrics }

export type GenerationStatus = 'complete' | 'stopped' | 'failed'

export type GenerationResult = {
  content: string
  citations: SourceView[]
  status: GenerationStatus
  error: string | null
  model: string
  mode: 'llm' | 'extractive'
  inputTokens: number
  outputTokens: number
  /** From the request's arrival (retrieval and any query rewriting included) to the first token. */
  ttftMs: number | null
  totalMs: number
}

export type GenerationJob = {
  streamId: string
  kind: GenerationKind
  metrics?: GenerationMetrics
  /** Reads the cited passages' lines, to place each citation's moment. */
  sql: Sql
  /** performance.now() when the request arrived: TTFT and total time count from here. Default: now. */
  startedAt?: number
  /** Extra timings for the `done` event (e.g. how long rewriting the question took). */
  timings?: Record<string, number>
  provider: LlmProvider
  system: string
  messages: LlmMessage[]
  maxTokens: number
  temperature?: number
  sources: SourceView[]
  /** The sources as prepared for moment selection when they were retrieved; others' cues are read when cited. */
  prepared?: PreparedPassages
  /** Extra fields for the `sources` and `done` events (e.g. the message id). */
  meta?: Record<string, unknown>
  notice?: string | null
  /**
   * Work that must finish before the model is called but need not hold up the
   * response (a question's rewrite and retrieval): it runs once the stream is
   * open, and what it returns replaces the job's fields of the same name. If
   * it throws, the generation fails (an `error` event, nothing generated).
   */
  prepare?(signal: AbortSignal): Promise<Prepared>
  /**
   * Saves the end (conditionally: only a row still `streaming`). False when the
   * row was already settled elsewhere: this instance lost its lease while it
   * generated (it stalled longer than the lease) and another one settled the
   * stream as interrupted (abandoned.ts).
   */
  onFinish(result: GenerationResult): Promise<boolean>
}

/** The fields of a job that `prepare` may supply. */
export type Prepared = Partial<Pick<GenerationJob, 'provider' | 'messages' | 'sources' | 'prepared' | 'notice' | 'timings' | 'meta'>>

/**
 * Runs in its own span, a child of the request that started it: it outlives
 * that request (whose span ends when the stream's headers go out), and the
 * trace still shows retrieval, the model call and the save together.
 */
export function runGeneration(hub: StreamHub, logger: Logger, job: GenerationJob): Promise<void> {
  return tracer.startActiveSpan(
    `generate ${job.kind}`,
    { attributes: { 'kt.generation.kind': job.kind, 'kt.stream.id': job.streamId } },
    async (span) => {
      try {
        const result = await generate(hub, logger, job)
        span.setAttributes({ 'kt.generation.status': result.status, 'kt.generation.mode': result.mode })
        if (result.status === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? undefined })
      } finally {
        span.end()
      }
    },
  )
}

async function generate(hub: StreamHub, logger: Logger, planned: GenerationJob): Promise<GenerationResult> {
  const abort = hub.open(planned.streamId)
  const started = planned.startedAt ?? performance.now()
  let modelStarted = performance.now()
  let job = planned
  // Invalid citation markers are dropped as the text streams, so the tokens
  // shown, `done.content` and the saved answer are the same bytes.
  let filter = createCitationFilter(new Set(job.sources.map((s) => s.n)))
  const text = createTextBuffer()
  let ttftMs: number | null = null
  let modelTtftMs: number | null = null
  let inputTokens = 0
  let outputTokens = 0
  let pieces = 0
  let status: GenerationStatus = 'complete'
  let error: { code: string; title: string; detail: string; status: number } | null = null
  try {
    if (planned.prepare) {
      job = { ...planned, ...(await planned.prepare(abort.signal)) }
      filter = createCitationFilter(new Set(job.sources.map((s) => s.n)))
      modelStarted = performance.now()
    }
    await hub.emit(job.streamId, 'sources', {
      ...job.meta,
      mode: job.provider.mode,
      model: job.provider.model,
      notice: job.notice ?? null,
      sources: job.sources,
    })
    // Stopped while preparing: the model is never called.
    if (abort.signal.aborted) throw abort.signal.reason
    for await (const ev of job.provider.stream({
      system: job.system,
      messages: job.messages,
      maxTokens: job.maxTokens,
      temperature: job.temperature,
      signal: abort.signal,
    })) {
      if (ev.type === 'text') {
        pieces++
        const shown = filter.push(ev.text)
        if (shown === '') continue
        if (ttftMs === null) {
          ttftMs = Math.round(performance.now() - started)
          modelTtftMs = Math.round(performance.now() - modelStarted)
        }
        text.append(shown)
        hub.appendText(job.streamId, shown)
      } else {
        inputTokens = ev.inputTokens
        outputTokens = Math.max(outputTokens, ev.outputTokens)
      }
    }
    // An aborted stream may simply end instead of throwing.
    if (abort.signal.aborted) status = 'stopped'
  } catch (err) {
    if (abort.signal.aborted) status = 'stopped'
    else {
      status = 'failed'
      const e = err as { code?: unknown; title?: unknown; message?: unknown; status?: unknown }
      error = {
        code: typeof e.code === 'string' ? e.code : 'generation_failed',
        title: typeof e.title === 'string' ? e.title : 'The answer could not be completed',
        detail: typeof e.message === 'string' && typeof e.code === 'string' ? e.message : 'The answer could not be completed. Try again.',
        status: typeof e.status === 'number' ? e.status : 502,
      }
      logger.warn('generation failed', { streamId: job.streamId, err })
    }
  }
  const rest = filter.end()
  if (rest) {
    text.append(rest)
    hub.appendText(job.streamId, rest)
  }
  // An answer cut short has no final usage from the model: count what arrived.
  outputTokens = Math.max(outputTokens, status === 'complete' ? 0 : pieces)
  const content = text.toString()
  let citations = [...new Set(citedNumbers(content))].map((n) => job.sources.find((s) => s.n === n)!)
  try {
    citations = await locateCitations(job.sql, content, citations, job.prepared)
  } catch (err) {
    logger.warn('placing citation moments failed; citations open at their passage', { streamId: job.streamId, err })
  }
  const result: GenerationResult = {
    content,
    citations,
    status,
    error: error?.detail ?? null,
    model: job.provider.model,
    mode: job.provider.mode,
    inputTokens,
    outputTokens,
    ttftMs,
    totalMs: Math.round(performance.now() - started),
  }
  ;(job.metrics ?? noGenerationMetrics).finished({ kind: job.kind, ...result })
  const saved = await saveResult(() => job.onFinish(result), logger, job.streamId)
  // The row was no longer streaming. Settled by another instance: its clients
  // here must not be told `done`, the stored answer says otherwise. (A retry
  // whose earlier attempt did commit finds no stored end and carries on.)
  if (saved === 'settled elsewhere' && (await hub.endAsSettled(job.streamId))) {
    logger.warn('the stream was settled by another instance while this one generated it; its clients got that end', {
      streamId: job.streamId,
    })
    return result
  }
  await hub.emit(job.streamId, 'citations', {
    citations: citations.map((c) => ({
      n: c.n,
      chunkId: c.chunkId,
      videoId: c.videoId,
      startMs: c.startMs,
      endMs: c.endMs,
      momentStartMs: c.momentStartMs ?? null,
      momentEndMs: c.momentEndMs ?? null,
      momentSeconds: c.momentSeconds ?? null,
      deepLink: c.deepLink,
    })),
  })
  if (status === 'failed' && error) {
    await hub.emit(job.streamId, 'error', {
      type: `https://knowledgetree.dev/problems/${error.code}`,
      ...error,
      partialContent: result.content,
      ...job.meta,
    })
  } else {
    await hub.emit(job.streamId, 'done', {
      ...job.meta,
      status,
      mode: result.mode,
      model: result.model,
      content: result.content,
      usage: { inputTokens, outputTokens },
      // ttftMs counts from the request's arrival; modelTtftMs from the model call alone.
      timings: { ttftMs, totalMs: result.totalMs, modelTtftMs, ...job.timings },
    })
  }
  if (saved !== 'unsaved') hub.close(job.streamId)
  else hub.abandon(job.streamId)
  return result
}

/**
 * Waits between attempts to save a generation's end: past the 30 s lease, so a
 * database restart or failover does not leave the answer `streaming`.
 */
const SAVE_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000]

/**
 * Saves the end (idempotent: conditional updates), retrying while the database
 * is away. 'unsaved' when it never could; 'settled elsewhere' when another
 * instance had already settled the stream.
 */
async function saveResult(
  save: () => Promise<boolean>,
  logger: Logger,
  streamId: string,
): Promise<'saved' | 'settled elsewhere' | 'unsaved'> {
  for (let attempt = 0; ; attempt++) {
    try {
      const ours = await save()
      if (attempt > 0) logger.info('saved a generation after retrying', { streamId, attempts: attempt + 1 })
      return ours ? 'saved' : 'settled elsewhere'
    } catch (err) {
      const delay = SAVE_RETRY_DELAYS_MS[attempt]
      if (delay === undefined) {
        logger.error('saving a generation failed; its lease runs out and it is settled as interrupted', { streamId, err })
        return 'unsaved'
      }
      if (attempt === 0) logger.warn('saving a generation failed; retrying', { streamId, err })
      await Bun.sleep(delay)
    }
  }
}
