// A local, protocol-faithful stand-in for the Anthropic Messages API, for tests
// and benchmarks only: the product never defaults to it. Point the real SDK at
// it with `new Anthropic({ baseURL: emulator.url, apiKey: 'any' })`; script
// answers, pacing and failures per test, then assert on `requests`.

import { abortableSleep } from './abortableSleep'
import { apiErrorResponse, type ApiErrorType } from './apiErrorResponse'
import { buildMessage } from './buildMessage'
import { estimateInputTokens } from './estimateInputTokens'
import { parseMessagesRequest, type MessagesRequest } from './parseMessagesRequest'
import { planAnswer } from './planAnswer'
import { randomId } from './randomId'
import { apiKeyOf, recordRequest, type RecordedRequest } from './recordedRequest'
import { DEFAULT_SCRIPT, type Script, type ScriptedFailure } from './script'
import { streamMessage } from './streamMessage'

export type { MessagesRequest } from './parseMessagesRequest'
export { fingerprintApiKey, type RecordedRequest } from './recordedRequest'
export { DEFAULT_SCRIPT, type Script, type ScriptedFailure } from './script'

/** Computes the script for one valid request; `index` is its position in `requests`. */
export type Responder = (body: MessagesRequest, index: number) => Script | Promise<Script>

export type EmulatorOptions = {
  /** Default 0: a free port chosen by the OS. */
  port?: number
  /** Default 127.0.0.1. */
  hostname?: string
  /** Answer for every request unless `respond` is given. Default `DEFAULT_SCRIPT`. */
  defaultScript?: Script
  respond?: Responder
  /** When set, any other key gets 401 `invalid x-api-key`. By default any non-empty key works. */
  apiKeys?: string[]
  /** When set, any other model gets 404 `not_found_error`, as an unknown model does. */
  models?: string[]
}

export type AnthropicEmulator = {
  /** Base URL for the SDK's `baseURL` (no trailing slash). */
  url: string
  port: number
  /** Every request received, in arrival order, including rejected ones. */
  requests: RecordedRequest[]
  /** Replaces the script (or responder) and restarts the count of scripted failures. */
  setScript(script: Script | Responder): void
  /** Resolves once request `index` (default 0) has arrived, e.g. to press Stop while it is in flight.
   *  Rejects after `timeoutMs` (default 2000). */
  waitForRequest(index?: number, options?: { timeoutMs?: number }): Promise<RecordedRequest>
  /** Resolves with request `index` (or, without one, the first aborted request) once its client
   *  went away mid-response; rejects after `timeoutMs` (default 2000) saying what happened instead. */
  waitForAbort(index?: number, options?: { timeoutMs?: number }): Promise<RecordedRequest>
  /** Forgets recorded requests and scripted failures already served. */
  reset(): void
  stop(): Promise<void>
}

const DEFAULT_TTFT_MS = 0
const DEFAULT_TOKENS_PER_SECOND = 1000

const FAILURES: Record<ScriptedFailure['status'], { type: ApiErrorType; message: string }> = {
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
}

export async function startAnthropicEmulator(options: EmulatorOptions = {}): Promise<AnthropicEmulator> {
  const requests: RecordedRequest[] = []
  let responder = toResponder(options.respond ?? options.defaultScript ?? DEFAULT_SCRIPT)
  let failuresServed = 0
  const watchers = new Set<() => void>()
  const notify = () => {
    for (const watcher of watchers) watcher()
  }

  function markAborted(record: RecordedRequest) {
    if (record.completed || record.aborted) return
    record.aborted = true
    notify()
  }

  async function handle(req: Request): Promise<Response> {
    const requestId = randomId('req')
    const record = recordRequest(req, requests.length, requestId)
    requests.push(record)
    const clientGone = new AbortController()
    clientGone.signal.addEventListener('abort', () => markAborted(record), { once: true })
    req.signal.addEventListener('abort', () => clientGone.abort(), { once: true })
    notify()

    const response = await route(req, record, clientGone)
    record.status = response.status
    // A stream completes when its last event is sent (see streamMessage's onEnd).
    if (!record.stream || response.status !== 200) record.completed = !record.aborted
    return response
  }

  async function route(req: Request, record: RecordedRequest, clientGone: AbortController): Promise<Response> {
    const { requestId } = record
    const raw = await req.text()
    const json = parseJson(raw)
    record.body = json.ok ? json.value : raw

    if (record.path !== '/v1/messages' || req.method !== 'POST') {
      return apiErrorResponse(404, 'not_found_error', 'Not Found', requestId)
    }
    const apiKey = apiKeyOf(req.headers)
    if (!apiKey) return apiErrorResponse(401, 'authentication_error', 'x-api-key header is required', requestId)
    if (options.apiKeys && !options.apiKeys.includes(apiKey)) {
      return apiErrorResponse(401, 'authentication_error', 'invalid x-api-key', requestId)
    }
    if (!req.headers.get('anthropic-version')) {
      return apiErrorResponse(400, 'invalid_request_error', 'anthropic-version: header is required', requestId)
    }
    if (!json.ok) {
      return apiErrorResponse(400, 'invalid_request_error', `There was an issue with your request body: ${json.error}`, requestId)
    }
    const parsed = parseMessagesRequest(json.value)
    if (!parsed.ok) return apiErrorResponse(400, 'invalid_request_error', parsed.message, requestId)
    const request = parsed.request
    if (options.models && !options.models.includes(request.model)) {
      return apiErrorResponse(404, 'not_found_error', `model: ${request.model}`, requestId)
    }
    record.stream = request.stream === true

    let script: Script
    try {
      script = await responder(request, record.index)
    } catch (error) {
      // A broken test responder must fail loudly, not be retried by the SDK.
      console.error('anthropic emulator: respond() threw', error)
      return apiErrorResponse(500, 'api_error', `emulator respond() threw: ${String(error)}`, requestId, {
        'x-should-retry': 'false',
      })
    }

    const failure = script.failBeforeFirstToken
    if (failure && failuresServed < failure.times) {
      failuresServed++
      return failureResponse(failure, requestId)
    }

    const plan = planAnswer(script, request)
    const ttftMs = script.ttftMs ?? DEFAULT_TTFT_MS
    const tokensPerSecond = script.tokensPerSecond ?? DEFAULT_TOKENS_PER_SECOND
    const inputTokens = estimateInputTokens(request)
    const messageId = randomId('msg')

    if (record.stream) {
      return streamMessage({
        messageId,
        requestId,
        model: request.model,
        inputTokens,
        plan,
        ttftMs,
        tokensPerSecond,
        failAfterTokens: script.failAfterTokens,
        clientGone,
        onDelta: () => record.deltasSent++,
        onEnd: () => (record.completed = !record.aborted),
      })
    }

    // A non-streaming reply arrives when the whole answer would have been generated.
    const interval = tokensPerSecond > 0 && Number.isFinite(tokensPerSecond) ? 1000 / tokensPerSecond : 0
    await abortableSleep(ttftMs + plan.tokens.length * interval, clientGone.signal)
    if (script.failAfterTokens !== undefined && script.failAfterTokens <= plan.tokens.length) {
      return apiErrorResponse(529, 'overloaded_error', 'Overloaded', requestId)
    }
    const message = buildMessage({
      id: messageId,
      model: request.model,
      text: plan.tokens.join(''),
      stopReason: plan.stopReason,
      stopSequence: plan.stopSequence,
      inputTokens,
      outputTokens: plan.tokens.length,
    })
    return Response.json(message, { headers: { 'request-id': requestId } })
  }

  const server = Bun.serve({
    hostname: options.hostname ?? '127.0.0.1',
    port: options.port ?? 0,
    // Slow scripted answers (long time-to-first-token) must not be cut by Bun's idle timeout.
    idleTimeout: 0,
    fetch: handle,
    error(error) {
      console.error('anthropic emulator: unhandled error', error)
      return apiErrorResponse(500, 'api_error', 'Internal server error', randomId('req'), { 'x-should-retry': 'false' })
    },
  })

  // Resolves once `find` returns a request; re-checked on every arrival and abort.
  function waitFor(find: () => RecordedRequest | undefined, failure: () => string, timeoutMs: number) {
    return new Promise<RecordedRequest>((resolve, reject) => {
      const watcher = () => {
        const found = find()
        if (!found) return
        done()
        resolve(found)
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`anthropic emulator: ${failure()} within ${timeoutMs}ms`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        watchers.delete(watcher)
      }
      watchers.add(watcher)
      watcher()
    })
  }

  return {
    url: `http://${server.hostname}:${server.port}`,
    port: server.port!,
    requests,
    setScript(script) {
      responder = toResponder(script)
      failuresServed = 0
    },
    waitForRequest(index = 0, { timeoutMs = 2000 } = {}) {
      return waitFor(
        () => requests[index],
        () => `request ${index} did not arrive (${requests.length} received)`,
        timeoutMs,
      )
    },
    waitForAbort(index, { timeoutMs = 2000 } = {}) {
      return waitFor(
        () => (index === undefined ? requests.find((r) => r.aborted) : requests[index]?.aborted ? requests[index] : undefined),
        () =>
          index === undefined
            ? `no request was aborted (${requests.length} received)`
            : `request ${index} was not aborted (${JSON.stringify(summarize(requests[index]))})`,
        timeoutMs,
      )
    },
    reset() {
      requests.length = 0
      failuresServed = 0
    },
    async stop() {
      await server.stop(true)
    },
  }
}

function toResponder(script: Script | Responder): Responder {
  return typeof script === 'function' ? script : () => script
}

function failureResponse(failure: ScriptedFailure, requestId: string): Response {
  const { type, message } = FAILURES[failure.status]
  const headers: Record<string, string> = {}
  // The real API always tells a rate-limited client when to come back.
  const retryAfter = failure.retryAfterSeconds ?? (failure.status === 429 ? 1 : undefined)
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter)
  if (failure.shouldRetry !== undefined) headers['x-should-retry'] = String(failure.shouldRetry)
  return apiErrorResponse(failure.status, type, message, requestId, headers)
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

function summarize(record: RecordedRequest | undefined) {
  if (!record) return { received: false }
  const { status, stream, deltasSent, completed, aborted } = record
  return { status, stream, deltasSent, completed, aborted }
}
