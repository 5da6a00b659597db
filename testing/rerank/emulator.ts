// A local, protocol-faithful stand-in for a reranking server, for tests and
// benchmarks only: the product never defaults to it. It speaks Hugging Face
// text-embeddings-inference's `POST /rerank` and Cohere's/Jina's
// `POST /v1/rerank` and `/v2/rerank`, scores by word overlap (lexicalScore.ts)
// unless a test scripts the scores, and fails on request (500, slow,
// malformed). Keys are never recorded, only whether the right one came.
import { abortableSleep } from '../anthropic/abortableSleep.ts'
import { lexicalScore } from './lexicalScore.ts'
import { parseRerankRequest, rerankAnswer, unauthorized, type ParsedRerank, type RerankApi } from './rerankRequest.ts'

/**
 * `500`: an error answer; `slow`: the right answer after `delayMs` (or when the
 * client gives up); `malformed`: 200 with JSON cut short; `bad-index`: 200 with
 * valid JSON naming a document that was not sent.
 */
export type FailureMode = '500' | 'slow' | 'malformed' | 'bad-index'
export type ScriptedFailure = { mode: FailureMode /** Default: every request until cleared. */; times?: number; delayMs?: number }

export type RecordedRequest = {
  path: string
  api: RerankApi | null
  /** Whether an Authorization header came, and whether it was `Bearer <apiKey>`; the value is never kept. */
  hasAuthorization: boolean
  authorized: boolean
  status: number
  /** The validated request, when it was valid. */
  rerank: ParsedRerank | null
}

export type RerankEmulatorOptions = {
  port?: number
  hostname?: string
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (401 otherwise), as TEI's --api-key. */
  apiKey?: string
  /** Documents per request; TEI's --max-client-batch-size defaults to 32. */
  maxDocuments?: number
}

export type Scorer = (query: string, document: string) => number

export type RerankEmulator = {
  /** Base URL for TEI (`${url}/rerank`); Cohere-style clients use `${url}/v2`, Jina-style `${url}/v1`. */
  url: string
  requests: RecordedRequest[]
  setFailure(failure: ScriptedFailure | null): void
  /** Replaces the word-overlap scores (null: back to them). */
  setScorer(scorer: Scorer | null): void
  reset(): void
  stop(): Promise<void>
}

const ROUTES: Record<string, RerankApi> = { '/rerank': 'tei', '/v1/rerank': 'cohere', '/v2/rerank': 'cohere' }

export async function startRerankEmulator(options: RerankEmulatorOptions = {}): Promise<RerankEmulator> {
  const requests: RecordedRequest[] = []
  let failure: ScriptedFailure | null = null
  let failuresServed = 0
  let scorer: Scorer = lexicalScore
  const maxDocuments = options.maxDocuments ?? 32

  async function handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname
    const api = ROUTES[path] ?? null
    const header = req.headers.get('authorization')
    const record: RecordedRequest = {
      path,
      api,
      hasAuthorization: header !== null,
      authorized: options.apiKey === undefined || header === `Bearer ${options.apiKey}`,
      status: 0,
      rerank: null,
    }
    requests.push(record)
    const response = await route(req, record)
    record.status = response.status
    return response
  }

  async function route(req: Request, record: RecordedRequest): Promise<Response> {
    const { api } = record
    if (api === null || req.method !== 'POST') return new Response(null, { status: 404 })
    const raw = await req.text()
    if (!record.authorized) return unauthorized(api)
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      return api === 'tei'
        ? new Response('Failed to parse the request body as JSON', {
            status: 400,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          })
        : Response.json({ message: 'invalid request: could not parse JSON body' }, { status: 400 })
    }
    const parsed = parseRerankRequest(api, body, maxDocuments)
    if (!parsed.ok) return parsed.response
    record.rerank = parsed.request
    const scores = parsed.request.documents.map((d) => scorer(parsed.request.query, d))
    const answer = rerankAnswer(api, parsed.request, scores)
    const failing = nextFailure()
    if (failing?.mode === '500')
      return api === 'tei'
        ? Response.json({ error: 'Inference failed', error_type: 'Backend' }, { status: 500 })
        : Response.json({ message: 'internal server error' }, { status: 500 })
    if (failing?.mode === 'slow') await abortableSleep(failing.delayMs ?? 30_000, req.signal)
    if (failing?.mode === 'malformed')
      return new Response(JSON.stringify(answer).slice(0, 20), { headers: { 'content-type': 'application/json' } })
    if (failing?.mode === 'bad-index') {
      const ghost = { index: parsed.request.documents.length + 5, [api === 'tei' ? 'score' : 'relevance_score']: 0.99 }
      return Response.json(api === 'tei' ? [ghost] : { id: crypto.randomUUID(), results: [ghost] })
    }
    return Response.json(answer)
  }

  function nextFailure(): ScriptedFailure | null {
    if (!failure || (failure.times !== undefined && failuresServed >= failure.times)) return null
    failuresServed++
    return failure
  }

  const server = Bun.serve({ port: options.port ?? 0, hostname: options.hostname ?? '127.0.0.1', fetch: handle, idleTimeout: 0 })
  return {
    url: `http://${server.hostname}:${server.port}`,
    requests,
    setFailure(next) {
      failure = next
      failuresServed = 0
    },
    setScorer(next) {
      scorer = next ?? lexicalScore
    },
    reset() {
      requests.length = 0
      failure = null
      failuresServed = 0
      scorer = lexicalScore
    },
    async stop() {
      await server.stop(true)
    },
  }
}
