// Claude through the official SDK, streaming. Retries are ours, not the SDK's:
// only failures before the first token are retried (429, 529, 5xx, an
// overloaded stream), with backoff that honours Retry-After; once text has
// been shown, an error ends the answer instead of silently starting over.
import Anthropic, { APIError } from '@anthropic-ai/sdk'
import { AppError } from '../../platform/errors.ts'
import { startModelCallSpan } from './modelCallSpan.ts'
import type { LlmCompletion, LlmEvent, LlmProvider, LlmRequest } from './types.ts'

export type AnthropicOptions = { apiKey: string; baseUrl: string; model: string; maxRetries: number; timeoutMs?: number }

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529])
const MAX_BACKOFF_MS = 20_000

export class LlmError extends AppError {
  constructor(
    detail: string,
    readonly retryable: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(502, 'llm_failed', 'The language model failed', detail, { cause: options.cause })
  }
}

function retryAfterMs(err: unknown): number | null {
  const headers = err instanceof APIError ? err.headers : undefined
  const raw = headers?.get?.('retry-after-ms') ?? null
  if (raw && Number.isFinite(Number(raw))) return Number(raw)
  const seconds = headers?.get?.('retry-after')
  if (seconds && Number.isFinite(Number(seconds))) return Number(seconds) * 1000
  return null
}

function isRetryable(err: unknown): boolean {
  if (err instanceof APIError) {
    if (err.status === undefined) return true // connection error
    return RETRYABLE_STATUS.has(err.status) || err.type === 'overloaded_error'
  }
  return false
}

function describe(err: unknown): string {
  if (err instanceof APIError) {
    if (err.status === 401 || err.status === 403)
      return 'The language model rejected this server’s API key. The operator needs to renew it.'
    if (err.status === 429) return 'The language model is rate-limiting this server. Try again in a minute.'
    if (err.status === 529 || err.type === 'overloaded_error') return 'The language model is overloaded. Try again in a moment.'
    if (err.status && err.status >= 500) return 'The language model had an internal error. Try again.'
    if (err.status === 400) return 'The language model refused the request.'
  }
  return 'The language model could not be reached.'
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true })
  })
}

/** Waits out the backoff before another attempt, or throws the failure as an LlmError when no retry follows. */
async function backOffOrThrow(
  err: unknown,
  attempt: number,
  maxRetries: number,
  signal: AbortSignal,
  retryAllowed: boolean,
): Promise<void> {
  if (signal.aborted) throw err
  if (!retryAllowed || !isRetryable(err) || attempt >= maxRetries) throw new LlmError(describe(err), isRetryable(err), { cause: err })
  const wait = retryAfterMs(err) ?? 500 * 2 ** attempt * (0.75 + Math.random() / 2)
  await sleep(Math.min(MAX_BACKOFF_MS, wait), signal)
}

// The SDK's types no longer list `temperature`; older models still take it.
const sampling = (req: LlmRequest) => (req.temperature === undefined ? {} : ({ temperature: req.temperature } as object))

export function createAnthropicProvider(options: AnthropicOptions): LlmProvider {
  const client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0, timeout: options.timeoutMs ?? 120_000 })
  return {
    model: options.model,
    mode: 'llm',
    async complete(req: LlmRequest): Promise<LlmCompletion> {
      const span = startModelCallSpan('anthropic', options.model, options.baseUrl, req)
      try {
        for (let attempt = 0; ; attempt++) {
          span.attempt(attempt)
          try {
            const message = await span.within(() =>
              client.messages.create(
                { model: options.model, max_tokens: req.maxTokens, system: req.system, messages: req.messages, ...sampling(req) },
                { signal: req.signal },
              ),
            )
            const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
            span.response(message.id, message.model)
            span.usage(message.usage.input_tokens, message.usage.output_tokens)
            span.finishReason(message.stop_reason)
            span.end()
            return { text, inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens }
          } catch (err) {
            await backOffOrThrow(err, attempt, options.maxRetries, req.signal, true)
          }
        }
      } catch (err) {
        span.end(err)
        throw err
      }
    },
    async *stream(req: LlmRequest): AsyncIterable<LlmEvent> {
      const span = startModelCallSpan('anthropic', options.model, options.baseUrl, req)
      let failure: unknown = null
      try {
        for (let attempt = 0; ; attempt++) {
          span.attempt(attempt)
          let sentText = false
          let inputTokens = 0
          let outputTokens = 0
          try {
            const stream = await span.within(() =>
              client.messages.create(
                {
                  model: options.model,
                  max_tokens: req.maxTokens,
                  system: req.system,
                  messages: req.messages,
                  stream: true,
                  ...sampling(req),
                },
                { signal: req.signal },
              ),
            )
            for await (const event of stream) {
              if (event.type === 'message_start') {
                inputTokens = event.message.usage?.input_tokens ?? 0
                span.response(event.message.id, event.message.model)
                span.usage(inputTokens, 0)
                // Reported at once, so an answer stopped mid-way still records its input.
                yield { type: 'usage', inputTokens, outputTokens: 0 }
              } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
                sentText = true
                span.firstToken()
                yield { type: 'text', text: event.delta.text }
              } else if (event.type === 'message_delta') {
                outputTokens = event.usage?.output_tokens ?? outputTokens
                span.finishReason(event.delta.stop_reason)
              }
            }
            span.usage(inputTokens, outputTokens)
            yield { type: 'usage', inputTokens, outputTokens }
            return
          } catch (err) {
            // Once text has been shown, starting over would repeat it.
            await backOffOrThrow(err, attempt, options.maxRetries, req.signal, !sentText)
          }
        }
      } catch (err) {
        failure = err
        throw err
      } finally {
        span.end(failure ?? undefined)
      }
    },
  }
}
