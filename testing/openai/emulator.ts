// A local, protocol-faithful stand-in for OpenAI's embeddings and audio
// transcription endpoints, for tests and benchmarks only: the product never
// defaults to it. Point the real `openai` SDK at it with
// `new OpenAI({ baseURL: emulator.url, apiKey: 'any' })`, script failures,
// then assert on `requests`. Keys are never recorded, only whether one was sent.

import { embeddingsResponse, parseEmbeddingsBody, type EmbeddingsBody, type EmbeddingsSettings } from './embeddingsRoute'
import { openAiError } from './openAiError'
import {
  handleTranscription,
  type TranscriptionRecord,
  type TranscriptionResponder,
  type TranscriptionsSettings,
} from './transcriptionsRoute'

export type { TranscriptionRecord, TranscriptionResponder, TranscriptionUpload } from './transcriptionsRoute'

export type Endpoint = 'embeddings' | 'transcriptions'

export type ScriptedFailure = {
  status: 429 | 500 | 503
  /** How many requests fail (counted since `setFailures`) before they succeed again. */
  times: number
  /** Only requests to this endpoint fail (and count). Default: both. */
  endpoint?: Endpoint
  /** Sent as `retry-after` on 429s (seconds; fractions keep tests fast). Default 0. */
  retryAfterSeconds?: number
}

export type RecordedRequest = {
  index: number
  method: string
  path: string
  endpoint: Endpoint | null
  /** Whether an `Authorization: Bearer` header came; its value is never kept. */
  hasAuthorization: boolean
  requestId: string
  status: number
  /** Embeddings: the parsed JSON body (or raw text when it was not JSON). */
  body: unknown
  /** Embeddings: the validated request, when it was valid. */
  embeddings: EmbeddingsBody | null
  /** Transcriptions: the multipart fields and the file's name, size and type. */
  transcription: TranscriptionRecord | null
}

/** Rewrites a valid embeddings answer before it is sent, e.g. to test a client's validation. */
export type EmbeddingsOverride = (body: Record<string, unknown>, request: EmbeddingsBody) => unknown

export type OpenAiEmulatorOptions = {
  /** Default 0: a free port chosen by the OS. */
  port?: number
  /** Default 127.0.0.1. */
  hostname?: string
  /** When set, only these keys are accepted (others get 401 `invalid_api_key`). */
  apiKeys?: string[]
  /** Default true; false accepts keyless requests, like a self-hosted server. */
  requireApiKey?: boolean
  /** When set, other models get 404 `model_not_found`. */
  models?: string[]
  /** Default 2048, the API's limit. */
  maxInputsPerRequest?: number
  /** Vector size for models whose native size the emulator does not know. Default 1536. */
  defaultDimensions?: number
  /** Default true: unit-length vectors, as OpenAI returns. */
  unitLength?: boolean
  /** Uploads larger than this get 413. Default 26214400 (25 MiB), the API's limit. */
  maxFileBytes?: number
  /** Length of generated transcript segments. Default 5 s. */
  segmentSeconds?: number
}

export type OpenAiEmulator = {
  /** Base URL for the SDK's `baseURL`, ending in `/v1`. */
  url: string
  port: number
  /** Every request received, in arrival order, including rejected ones. */
  requests: RecordedRequest[]
  /** Replaces scripted failures and restarts their count. */
  setFailures(failure: ScriptedFailure | null): void
  setEmbeddingsOverride(override: EmbeddingsOverride | null): void
  setTranscriptionResponder(responder: TranscriptionResponder | null): void
  /** Forgets requests, failures, overrides and responders. */
  reset(): void
  stop(): Promise<void>
}

const FAILURE_BODIES: Record<ScriptedFailure['status'], { type: 'requests' | 'server_error'; code: string | null; message: string }> = {
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests per min (RPM): Limit 3000, Used 3000, Requested 1. Please try again later.',
  },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
}

export async function startOpenAiEmulator(options: OpenAiEmulatorOptions = {}): Promise<OpenAiEmulator> {
  const requests: RecordedRequest[] = []
  let failure: ScriptedFailure | null = null
  let failuresServed = 0
  let embeddingsOverride: EmbeddingsOverride | null = null
  let transcriptionResponder: TranscriptionResponder | null = null
  const embeddingsSettings: EmbeddingsSettings = {
    maxInputsPerRequest: options.maxInputsPerRequest ?? 2048,
    defaultDimensions: options.defaultDimensions ?? 1536,
    unitLength: options.unitLength ?? true,
    models: options.models,
  }
  const transcriptionsSettings: TranscriptionsSettings = {
    maxFileBytes: options.maxFileBytes ?? 26_214_400,
    segmentSeconds: options.segmentSeconds ?? 5,
    models: options.models,
  }

  async function handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname
    const endpoint: Endpoint | null =
      path === '/v1/embeddings' ? 'embeddings' : path === '/v1/audio/transcriptions' ? 'transcriptions' : null
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method,
      path,
      endpoint,
      hasAuthorization: req.headers.has('authorization'),
      requestId: `req_${crypto.randomUUID().replaceAll('-', '')}`,
      status: 0,
      body: undefined,
      embeddings: null,
      transcription: null,
    }
    requests.push(record)
    const response = await route(req, record)
    record.status = response.status
    return response
  }

  async function route(req: Request, record: RecordedRequest): Promise<Response> {
    const { requestId, endpoint } = record
    if (endpoint === null || req.method !== 'POST') {
      return openAiError(404, 'invalid_request_error', `Invalid URL (${req.method} ${record.path})`, requestId)
    }
    // Read the whole body first, as the real server does, so the client never sees a reset.
    let form: FormData | null = null
    let json: { ok: true; value: unknown } | { ok: false } = { ok: false }
    if (endpoint === 'transcriptions') {
      form = await req.formData().catch(() => null)
      record.transcription = {
        model: null,
        responseFormat: null,
        timestampGranularities: [],
        language: null,
        file: null,
        durationSeconds: null,
      }
    } else {
      const raw = await req.text()
      try {
        json = { ok: true, value: JSON.parse(raw) }
        record.body = json.value
      } catch {
        record.body = raw
      }
    }

    const authError = checkAuth(req.headers, requestId)
    if (authError) return authError
    const failed = scriptedFailure(endpoint, requestId)
    if (failed) return failed

    if (endpoint === 'transcriptions') {
      if (form === null) {
        return openAiError(400, 'invalid_request_error', 'Could not parse multipart form', requestId)
      }
      return handleTranscription(form, record.transcription!, record.index, transcriptionsSettings, transcriptionResponder, requestId)
    }
    if (!json.ok) {
      return openAiError(400, 'invalid_request_error', 'We could not parse the JSON body of your request.', requestId)
    }
    const parsed = parseEmbeddingsBody(json.value, embeddingsSettings, requestId)
    if (!parsed.ok) return parsed.response
    record.embeddings = parsed.body
    const response = embeddingsResponse(parsed.body, embeddingsSettings, requestId)
    if (!embeddingsOverride) return response
    const replaced = embeddingsOverride((await response.json()) as Record<string, unknown>, parsed.body)
    return Response.json(replaced, { headers: { 'x-request-id': requestId } })
  }

  function checkAuth(headers: Headers, requestId: string): Response | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '')
    const key = match ? match[1]! : null
    if (key === null) {
      if (options.requireApiKey === false && !options.apiKeys) return null
      return openAiError(
        401,
        'invalid_request_error',
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        requestId,
      )
    }
    if (options.apiKeys && !options.apiKeys.includes(key)) {
      const hint = key.length > 8 ? `${key.slice(0, 3)}***${key.slice(-4)}` : '***'
      return openAiError(401, 'invalid_request_error', `Incorrect API key provided: ${hint}.`, requestId, { code: 'invalid_api_key' })
    }
    return null
  }

  function scriptedFailure(endpoint: Endpoint, requestId: string): Response | null {
    if (!failure || failuresServed >= failure.times) return null
    if (failure.endpoint && failure.endpoint !== endpoint) return null
    failuresServed++
    const body = FAILURE_BODIES[failure.status]
    const headers: Record<string, string> = {}
    if (failure.status === 429) headers['retry-after'] = String(failure.retryAfterSeconds ?? 0)
    return openAiError(failure.status, body.type, body.message, requestId, { code: body.code, headers })
  }

  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? '127.0.0.1',
    // Above the API's 25 MiB so that oversized uploads reach the 413 the API sends.
    maxRequestBodySize: 512 * 1024 * 1024,
    fetch: handle,
  })

  return {
    url: `http://${server.hostname}:${server.port}/v1`,
    port: server.port!,
    requests,
    setFailures(next) {
      failure = next
      failuresServed = 0
    },
    setEmbeddingsOverride(next) {
      embeddingsOverride = next
    },
    setTranscriptionResponder(next) {
      transcriptionResponder = next
    },
    reset() {
      requests.length = 0
      failure = null
      failuresServed = 0
      embeddingsOverride = null
      transcriptionResponder = null
    },
    async stop() {
      await server.stop(true)
    },
  }
}
