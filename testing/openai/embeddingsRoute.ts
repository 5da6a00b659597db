// POST /v1/embeddings: validates the body the way the API does (what is wrong
// and which `param`), then answers with deterministic vectors in the requested
// encoding. The SDK asks for base64 unless the caller names a format.

import { fakeEmbedding, toBase64Floats } from './fakeEmbedding'
import { openAiError } from './openAiError'

/** Native sizes of OpenAI's models; other models get `defaultDimensions`. */
const NATIVE_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
}
// ada-002 predates shortened embeddings and refuses `dimensions`.
const FIXED_SIZE_MODELS = new Set(['text-embedding-ada-002'])

export type EmbeddingsSettings = {
  maxInputsPerRequest: number
  defaultDimensions: number
  unitLength: boolean
  models: string[] | undefined
}

export type EmbeddingsBody = {
  model: string
  input: string[]
  dimensions: number | null
  encodingFormat: 'float' | 'base64'
}

type Parsed = { ok: true; body: EmbeddingsBody } | { ok: false; response: Response }

export function parseEmbeddingsBody(json: unknown, settings: EmbeddingsSettings, requestId: string): Parsed {
  const invalid = (message: string, param: string | null) => ({
    ok: false as const,
    response: openAiError(400, 'invalid_request_error', message, requestId, { param }),
  })
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return invalid('The request body must be a JSON object.', null)
  }
  const body = json as Record<string, unknown>
  if (typeof body.model !== 'string' || body.model === '') return invalid('you must provide a model parameter', 'model')
  if (settings.models && !settings.models.includes(body.model)) {
    return {
      ok: false,
      response: openAiError(
        404,
        'invalid_request_error',
        `The model \`${body.model}\` does not exist or you do not have access to it.`,
        requestId,
        {
          code: 'model_not_found',
        },
      ),
    }
  }
  const input = normaliseInput(body.input)
  if (input === null)
    return invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input')
  if (input.length > settings.maxInputsPerRequest) {
    return invalid(`'$.input' is invalid: at most ${settings.maxInputsPerRequest} inputs per request, got ${input.length}.`, 'input')
  }
  let dimensions: number | null = null
  if (body.dimensions !== undefined) {
    if (!Number.isInteger(body.dimensions) || (body.dimensions as number) < 1) {
      return invalid("'$.dimensions' is invalid: expected a positive integer.", 'dimensions')
    }
    if (FIXED_SIZE_MODELS.has(body.model)) return invalid('This model does not support specifying dimensions.', null)
    dimensions = body.dimensions as number
  }
  const format = body.encoding_format ?? 'float'
  if (format !== 'float' && format !== 'base64') {
    return invalid("'$.encoding_format' is invalid: expected 'float' or 'base64'.", 'encoding_format')
  }
  for (const key of Object.keys(body)) {
    if (!['model', 'input', 'dimensions', 'encoding_format', 'user'].includes(key)) {
      return invalid(`Unrecognized request argument supplied: ${key}`, null)
    }
  }
  return { ok: true, body: { model: body.model, input, dimensions, encodingFormat: format } }
}

export function embeddingsResponse(body: EmbeddingsBody, settings: EmbeddingsSettings, requestId: string): Response {
  const size = body.dimensions ?? NATIVE_DIMENSIONS[body.model] ?? settings.defaultDimensions
  const data = body.input.map((text, index) => {
    const vector = fakeEmbedding(text, size, settings.unitLength)
    return { object: 'embedding', index, embedding: body.encodingFormat === 'base64' ? toBase64Floats(vector) : vector }
  })
  const promptTokens = body.input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0)
  return Response.json(
    { object: 'list', data, model: body.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } },
    { headers: { 'x-request-id': requestId } },
  )
}

/** Strings as they are; token arrays become stable strings. Null when the API would refuse it. */
function normaliseInput(input: unknown): string[] | null {
  if (typeof input === 'string') return input === '' ? null : [input]
  if (!Array.isArray(input) || input.length === 0) return null
  if (input.every((item) => typeof item === 'number')) return [`tokens:${input.join(',')}`]
  const texts: string[] = []
  for (const item of input) {
    if (typeof item === 'string' && item !== '') texts.push(item)
    else if (Array.isArray(item) && item.length > 0 && item.every((t) => Number.isInteger(t))) texts.push(`tokens:${item.join(',')}`)
    else return null
  }
  return texts
}
