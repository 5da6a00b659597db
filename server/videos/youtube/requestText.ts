// One fetch of one video talks to YouTube as a small session: the same proxy,
// deadline per request, caller's abort signal and cookies (the EU consent cookie)
// for the watch page, the player call and the caption download. Every way a
// request can fail ends here as a captions-unavailable error with a short reason,
// except the caller's own abort, which is re-thrown as is so a cancelled job
// looks cancelled rather than failed. Each request is an HTTP client span
// (OpenTelemetry HTTP semantic conventions), so a slow or refused YouTube shows
// in the ingest job's trace next to the embedding and transcription calls.
import { SpanKind, type Span } from '@opentelemetry/api'
import { AppError } from '../../platform/errors.ts'
import { withSpan } from '../../platform/tracing.ts'
import { captionsUnavailable } from './youtubeErrors.ts'

/** The part of `fetch` this module uses; `globalThis.fetch` fits, and so does a test spy. */
export type FetchLike = (input: string, init: BunFetchRequestInit) => Promise<Response>

export type YoutubeSession = {
  fetch: FetchLike
  proxyUrl: string | null
  signal: AbortSignal | undefined
  timeoutMs: number
  /** Cookies YouTube asked us to send back, by name. */
  cookies: Map<string, string>
}

export type SessionRequest = {
  /** The path without its query (`/watch`, `/api/timedtext`): names the span; ids and signatures stay out of it. */
  template: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
}

// A watch page is ~1 MB and a long auto-caption track a few MB; anything far
// larger is not what we asked for.
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024

// A current desktop browser: the watch page served to unknown agents differs.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36'

export function requestText(session: YoutubeSession, url: string, request: SessionRequest): Promise<string> {
  const method = request.method ?? 'GET'
  const target = new URL(url)
  // No url.full: caption URLs carry signatures and the player call a key, and
  // the query is where the video id sits; the template says which call it was.
  const attributes = {
    'http.request.method': method,
    'server.address': target.hostname,
    'server.port': Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
    'url.scheme': target.protocol.slice(0, -1),
    'url.template': request.template,
  }
  return withSpan(`${method} ${request.template}`, { kind: SpanKind.CLIENT, attributes }, (span) =>
    sendRequest(session, url, { ...request, method }, span),
  )
}

async function sendRequest(session: YoutubeSession, url: string, request: SessionRequest, span: Span): Promise<string> {
  const deadline = AbortSignal.timeout(session.timeoutMs)
  const signal = session.signal ? AbortSignal.any([session.signal, deadline]) : deadline
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    // Playability reasons are matched in English (see assertPlayable.ts).
    'accept-language': 'en-US,en;q=0.9',
    ...request.headers,
  }
  if (session.cookies.size > 0) headers.cookie = [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const init: BunFetchRequestInit = { method: request.method ?? 'GET', headers, body: request.body, signal, redirect: 'follow' }
  // Bun's fetch takes `proxy` (http:// or https:// proxy URL; CONNECT for https
  // targets). respectNoProxy=false: a proxy configured for YouTube is used for
  // YouTube even if NO_PROXY would match. Without one, Bun still honours the
  // HTTP(S)_PROXY environment variables.
  if (session.proxyUrl) init.proxy = { url: session.proxyUrl, respectNoProxy: false }

  let response: Response | undefined
  try {
    response = await session.fetch(url, init)
    span.setAttribute('http.response.status_code', response.status)
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      // The conventions' error.type for an HTTP error is the status code.
      span.setAttribute('error.type', String(response.status))
      throw captionsUnavailable(`http_${response.status}`)
    }
    return await readCapped(response)
  } catch (error) {
    if (error instanceof AppError) {
      if (response === undefined || response.ok) span.setAttribute('error.type', String(error.extras.reason ?? error.code))
      throw error
    }
    if (session.signal?.aborted) {
      span.setAttribute('error.type', 'cancelled')
      throw session.signal.reason
    }
    span.setAttribute('error.type', deadline.aborted ? 'timeout' : error instanceof Error ? error.name : '_OTHER')
    // Timeouts, refused connections, resets, TLS and proxy failures alike.
    throw captionsUnavailable('network', error)
  }
}

async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => {})
    throw captionsUnavailable('response_too_large')
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let size = 0
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {})
      throw captionsUnavailable('response_too_large')
    }
    text += decoder.decode(value, { stream: true })
  }
  return text + decoder.decode()
}
