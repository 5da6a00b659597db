// A client for a reranker's `POST …/rerank`: Cohere's protocol (also Jina's,
// vLLM's, Infinity's, llama.cpp's) or Hugging Face text-embeddings-inference's
// (protocols: docs/reranker.md). Plain fetch: no SDK covers a self-hosted TEI,
// and one call with a deadline needs no retry machinery; a reranker that is
// late or broken is skipped (reranker.ts), not waited for again. One client
// span per call, like the embedding and transcription clients.
import { SpanKind, type Span } from '@opentelemetry/api'
import { withSpan } from '../platform/tracing.ts'
import { InvalidRerankResponse, parseRerankResponse, type RerankApi } from './parseRerankResponse.ts'

export type RerankClientOptions = {
  /** Requests go to `${baseUrl}/rerank`, e.g. http://127.0.0.1:8081 (TEI), https://api.cohere.com/v2. */
  baseUrl: string
  api: RerankApi
  /** Sent as `model` with the Cohere protocol; TEI serves one model. */
  model?: string | null
  /** Sent as `Authorization: Bearer …`; none without one. */
  apiKey?: string | null
  timeoutMs: number
}

export type RerankFailure = 'timeout' | 'unreachable' | 'http_error' | 'invalid'

/** Why a rerank call gave nothing usable; the message names the server, never a key. */
export class RerankError extends Error {
  constructor(
    readonly reason: RerankFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'RerankError'
  }
}

export type RerankClient = {
  /** Scores by document index (higher: more relevant); throws RerankError. */
  score(query: string, documents: readonly string[]): Promise<Map<number, number>>
}

export function createRerankClient(options: RerankClientOptions): RerankClient {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/rerank`
  const server = new URL(endpoint)
  // Named without credentials a URL may carry.
  const where = `${server.host}${server.pathname}`
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`

  function body(query: string, documents: readonly string[]): unknown {
    // TEI: truncate passages longer than the model takes rather than refuse the batch (422).
    if (options.api === 'tei') return { query, texts: documents, truncate: true, raw_scores: false }
    return { ...(options.model ? { model: options.model } : {}), query, documents, top_n: documents.length }
  }

  async function call(query: string, documents: readonly string[], span: Span): Promise<Map<number, number>> {
    let response: Response
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(body(query, documents)),
        signal: AbortSignal.timeout(options.timeoutMs),
      })
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      if (timedOut) throw new RerankError('timeout', `${where} did not answer within ${options.timeoutMs} ms`)
      throw new RerankError('unreachable', `${where} could not be reached: ${(error as Error).message}`)
    }
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      throw new RerankError(timedOut ? 'timeout' : 'unreachable', `${where} broke off its answer: ${(error as Error).message}`)
    }
    span.setAttribute('http.response.status_code', response.status)
    if (!response.ok) throw new RerankError('http_error', `${where} answered ${response.status}`, response.status)
    try {
      return parseRerankResponse(options.api, JSON.parse(text), documents.length)
    } catch (error) {
      const detail = error instanceof InvalidRerankResponse ? error.message : 'reranker answered with invalid JSON'
      throw new RerankError('invalid', `${where}: ${detail}`, response.status)
    }
  }

  return {
    score: (query, documents) =>
      withSpan(
        `rerank ${options.model ?? options.api}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.request.method': 'POST',
            'server.address': server.hostname,
            ...(server.port ? { 'server.port': Number(server.port) } : {}),
            'kt.rerank.api': options.api,
            'kt.rerank.documents': documents.length,
            ...(options.model ? { 'gen_ai.request.model': options.model } : {}),
          },
        },
        async (span) => {
          try {
            return await call(query, documents, span)
          } catch (error) {
            if (error instanceof RerankError) span.setAttribute('error.type', error.reason)
            throw error
          }
        },
      ),
  }
}
