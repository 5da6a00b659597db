// Embeddings from any server that speaks OpenAI's `POST /v1/embeddings`
// (OpenAI, Ollama's /v1, text-embeddings-inference, vLLM, Voyage-compatible
// gateways) through the official SDK. The SDK retries 429/5xx with backoff and
// honours `retry-after`; this module batches, checks what comes back, and
// L2-normalises so cosine search treats every provider alike.

import { SpanKind } from '@opentelemetry/api'
import OpenAI from 'openai'
import { AppError } from '../platform/errors'
import { createOpenAiClient } from '../platform/openAiClient.ts'
import { withSpan } from '../platform/tracing'
import type { EmbeddingProvider } from './types'

export type OpenAiEmbedderOptions = {
  /** Up to and including `/v1`, e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  baseUrl: string
  /** Null or empty for self-hosted servers without auth: no Authorization header is sent. */
  apiKey?: string | null
  model: string
  /** Ask the server to shorten vectors to this size (sent as `dimensions`): OpenAI's
   *  text-embedding-3-* and Matryoshka models on vLLM. Leave unset for models that refuse it. */
  dimensions?: number | null
  /** The model's own vector size when `dimensions` is not sent and the model is not one of
   *  OpenAI's (e.g. 768 for nomic-embed-text). Checked against every answer, never sent. */
  modelDimensions?: number | null
  /** Texts per request. Default 64 (OpenAI takes 2048; TEI's default limit is 32). */
  batchSize?: number
  /** Characters per request. Default 120,000: well under OpenAI's 300k tokens per request
   *  even for scripts near one token per character. */
  maxBatchChars?: number
  /** Retries of 429/5xx/connection errors by the SDK. Default 3. */
  maxRetries?: number
  /** Per request. Default 60 s. */
  timeoutMs?: number
}

// Native sizes, so OpenAI's own models need no configuration.
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
}

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): EmbeddingProvider {
  const requested = options.dimensions ?? null
  const dimensions = requested ?? options.modelDimensions ?? KNOWN_DIMENSIONS[options.model]
  if (dimensions === undefined || dimensions === null || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(
      `Embedding model "${options.model}" has no known vector size: set its dimensions ` +
        '(e.g. 768 for nomic-embed-text, 1024 for bge-m3).',
    )
  }
  const batchSize = options.batchSize ?? 64
  const maxBatchChars = options.maxBatchChars ?? 120_000
  const client = createClient(options)

  const server = new URL(options.baseUrl)
  // One client span per request, in the GenAI conventions (operation `embeddings`).
  const embedBatch = (texts: string[]): Promise<number[][]> =>
    withSpan(
      `embeddings ${options.model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'embeddings',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': options.model,
          'gen_ai.embeddings.dimension.count': dimensions!,
          'server.address': server.hostname,
          ...(server.port ? { 'server.port': Number(server.port) } : {}),
          'kt.embeddings.inputs': texts.length,
        },
      },
      (span) => requestBatch(texts, (usage) => span.setAttribute('gen_ai.usage.input_tokens', usage)),
    )

  async function requestBatch(texts: string[], onUsage: (inputTokens: number) => void): Promise<number[][]> {
    let response: unknown
    try {
      response = await client.embeddings.create({
        model: options.model,
        input: texts,
        ...(requested === null ? {} : { dimensions: requested }),
        // The SDK would ask for base64 by default; not every compatible server
        // supports it, while every one supports floats.
        encoding_format: 'float',
      })
    } catch (error) {
      // A batch too big for this server (TEI, proxies): halve it rather than fail the job.
      if (error instanceof OpenAI.APIError && error.status === 413 && texts.length > 1) {
        const half = Math.ceil(texts.length / 2)
        return [...(await embedBatch(texts.slice(0, half))), ...(await embedBatch(texts.slice(half)))]
      }
      throw embeddingError(error, options)
    }
    const promptTokens = (response as { usage?: { prompt_tokens?: unknown } } | null)?.usage?.prompt_tokens
    if (typeof promptTokens === 'number') onUsage(promptTokens)
    return parseEmbeddings(response, texts.length, dimensions!, options.model)
  }

  return {
    name: requested === null ? `openai:${options.model}` : `openai:${options.model}@${requested}`,
    dimensions,
    async embed(texts) {
      const vectors: number[][] = new Array(texts.length)
      // Blank texts get the zero vector without a request (the API refuses empty
      // input), matching the local embedder: callers must not store it.
      const pending = texts.flatMap((text, i) => (text.trim() === '' ? ((vectors[i] = zeros(dimensions!)), []) : [i]))
      for (const batch of batches(pending, texts, batchSize, maxBatchChars)) {
        const embedded = await embedBatch(batch.map((i) => texts[i]!))
        batch.forEach((inputIndex, k) => (vectors[inputIndex] = embedded[k]!))
      }
      return vectors
    },
  }
}

function createClient(options: OpenAiEmbedderOptions): OpenAI {
  return createOpenAiClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 60_000,
  })
}

/** Groups input positions into requests of at most `size` texts and `maxChars` characters. */
function batches(positions: number[], texts: string[], size: number, maxChars: number): number[][] {
  const result: number[][] = []
  let current: number[] = []
  let chars = 0
  for (const i of positions) {
    const length = texts[i]!.length
    if (current.length > 0 && (current.length >= size || chars + length > maxChars)) {
      result.push(current)
      current = []
      chars = 0
    }
    current.push(i)
    chars += length
  }
  if (current.length > 0) result.push(current)
  return result
}

/** Checks the answer field by field and returns unit vectors in input order. */
export function parseEmbeddings(response: unknown, expected: number, dimensions: number, model: string): number[][] {
  const fail = (detail: string) =>
    new AppError(502, 'embedding_invalid_response', 'Embedding service answered unexpectedly', `${model}: ${detail}`, {
      extras: { retryable: false },
    })
  const data = (response as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) throw fail('the answer has no `data` list.')
  if (data.length !== expected) throw fail(`asked for ${expected} embeddings, got ${data.length}.`)
  const vectors: (number[] | undefined)[] = new Array(expected)
  data.forEach((item: unknown, position) => {
    const index = (item as { index?: unknown } | null)?.index ?? position
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= expected || vectors[index as number]) {
      throw fail(`item ${position} has a missing, repeated or out-of-range index.`)
    }
    const embedding = (item as { embedding?: unknown }).embedding
    const values = typeof embedding === 'string' ? decodeBase64Floats(embedding) : embedding
    if (!Array.isArray(values) || !values.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw fail(`item ${position} is not a list of finite numbers.`)
    }
    if (values.length !== dimensions) {
      throw fail(
        `vectors have ${values.length} dimensions, expected ${dimensions}. ` +
          'Check the configured embedding dimensions against the model.',
      )
    }
    vectors[index as number] = normalise(values as number[])
  })
  return vectors as number[][]
}

function normalise(vector: number[]): number[] {
  let sum = 0
  for (const x of vector) sum += x * x
  const norm = Math.sqrt(sum)
  // A zero vector has no direction; keep it as is rather than divide by zero.
  return norm === 0 ? vector : vector.map((x) => x / norm)
}

// Some gateways answer base64 even when floats were asked for.
function decodeBase64Floats(text: string): number[] | null {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length % 4 !== 0) return null
  return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)))
}

function zeros(size: number): number[] {
  return new Array<number>(size).fill(0)
}

function embeddingError(error: unknown, options: OpenAiEmbedderOptions): unknown {
  if (!(error instanceof OpenAI.APIError)) return error
  if (error instanceof OpenAI.APIUserAbortError) return error
  const where = `${options.model} at ${hostOf(options.baseUrl)}`
  const status = error.status
  if (status === 401 || status === 403) {
    return new AppError(
      502,
      'embedding_auth_failed',
      'Embedding service refused the credentials',
      `${where} answered ${status}: check the embedding API key.`,
      {
        cause: error,
        extras: { retryable: false, upstreamStatus: status },
      },
    )
  }
  // Connection errors have no status; like 408/409/429/5xx they are worth another go later.
  const retryable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500
  return new AppError(
    retryable ? 503 : 502,
    retryable ? 'embedding_unavailable' : 'embedding_rejected',
    'Embedding request failed',
    `${where}: ${error.message}`,
    {
      cause: error,
      extras: { retryable, ...(status === undefined ? {} : { upstreamStatus: status }) },
    },
  )
}

/** Names the server in messages without any credentials a base URL may carry. */
function hostOf(baseUrl: string): string {
  try {
    const url = new URL(baseUrl)
    return `${url.host}${url.pathname.replace(/\/$/, '')}`
  } catch {
    return 'the configured URL'
  }
}
