import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startOpenAiEmulator } from '../../testing/openai/emulator'
import { rejectionOf } from '../../testing/rejectionOf'
import { AppError } from '../platform/errors'
import { createOpenAiEmbedder } from './openaiEmbedder'

// Unnormalised vectors, as some compatible servers return, so normalisation shows.
const emulator = await startOpenAiEmulator({ apiKeys: ['sk-test'], defaultDimensions: 16, unitLength: false })
afterAll(() => emulator.stop())
beforeEach(() => emulator.reset())

const base = { baseUrl: emulator.url, apiKey: 'sk-test', model: 'nomic-embed-text', modelDimensions: 16 }
const texts = ['alpha beta', 'gamma', 'delta epsilon zeta', 'eta', 'theta iota', 'kappa', 'lambda mu']

function norm(vector: number[]): number {
  return Math.hypot(...vector)
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, AppError)

describe('createOpenAiEmbedder', () => {
  test('splits inputs into batches and returns vectors in input order', async () => {
    const embedder = createOpenAiEmbedder({ ...base, batchSize: 3 })
    const vectors = await embedder.embed(texts)

    expect(emulator.requests.map((r) => r.embeddings?.input.length)).toEqual([3, 3, 1])
    expect(emulator.requests.flatMap((r) => r.embeddings?.input ?? [])).toEqual(texts)
    // The same text embedded alone gets the same vector: positions were not mixed up.
    for (const [i, text] of texts.entries()) {
      expect(vectors[i]).toEqual((await embedder.embed([text]))[0]!)
    }
  })

  test('puts vectors back in input order when the server lists them out of order', async () => {
    const embedder = createOpenAiEmbedder(base)
    const expected = await embedder.embed(texts)
    emulator.setEmbeddingsOverride((body) => ({ ...body, data: [...(body.data as unknown[])].reverse() }))
    expect(await embedder.embed(texts)).toEqual(expected)
  })

  test('caps the characters sent in one request', async () => {
    const long = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd']
    await createOpenAiEmbedder({ ...base, maxBatchChars: 90 }).embed(long)
    expect(emulator.requests.map((r) => r.embeddings?.input.length)).toEqual([2, 2])
  })

  test('returns unit-length vectors from a server that does not normalise', async () => {
    const vectors = await createOpenAiEmbedder(base).embed(texts)
    for (const vector of vectors) {
      expect(vector).toHaveLength(16)
      expect(norm(vector)).toBeCloseTo(1, 10)
    }
  })

  test('asks for floats, not the SDK default base64, so any compatible server can answer', async () => {
    await createOpenAiEmbedder(base).embed(['one'])
    expect(emulator.requests[0]!.embeddings?.encodingFormat).toBe('float')
  })

  test('sends dimensions when set and records them in the provider name', async () => {
    const embedder = createOpenAiEmbedder({ ...base, model: 'text-embedding-3-small', modelDimensions: null, dimensions: 64 })
    const [vector] = await embedder.embed(['one'])
    expect(embedder.name).toBe('openai:text-embedding-3-small@64')
    expect(embedder.dimensions).toBe(64)
    expect(vector).toHaveLength(64)
    expect(emulator.requests[0]!.embeddings?.dimensions).toBe(64)
  })

  test("knows OpenAI models' native sizes and names itself after the model", () => {
    const embedder = createOpenAiEmbedder({ ...base, model: 'text-embedding-3-large', modelDimensions: null })
    expect(embedder.dimensions).toBe(3072)
    expect(embedder.name).toBe('openai:text-embedding-3-large')
  })

  test('refuses an unknown model without a configured vector size', () => {
    expect(() => createOpenAiEmbedder({ ...base, modelDimensions: null })).toThrow(/no known vector size/)
  })

  test('retries a 429 after the retry-after the server sends, then succeeds', async () => {
    emulator.setFailures({ status: 429, times: 2, retryAfterSeconds: 0 })
    const vectors = await createOpenAiEmbedder({ ...base, maxRetries: 2 }).embed(texts)
    expect(vectors).toHaveLength(texts.length)
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 429, 200])
  })

  test('reports a retryable error once the retries are spent', async () => {
    emulator.setFailures({ status: 429, times: 5, retryAfterSeconds: 0 })
    const error = await failure(createOpenAiEmbedder({ ...base, maxRetries: 1 }).embed(texts))
    expect(error.code).toBe('embedding_unavailable')
    expect(error.extras.retryable).toBe(true)
    expect(emulator.requests).toHaveLength(2)
  })

  test('reports a dimension mismatch between the configuration and the server', async () => {
    const error = await failure(createOpenAiEmbedder({ ...base, modelDimensions: 768 }).embed(['one']))
    expect(error.code).toBe('embedding_invalid_response')
    expect(error.message).toContain('16 dimensions, expected 768')
  })

  test('rejects answers with the wrong count, inconsistent sizes or non-numbers', async () => {
    const embedder = createOpenAiEmbedder(base)
    emulator.setEmbeddingsOverride((body) => ({ ...body, data: (body.data as unknown[]).slice(1) }))
    expect((await failure(embedder.embed(['one', 'two']))).message).toContain('asked for 2 embeddings, got 1')

    emulator.setEmbeddingsOverride((body) => ({
      ...body,
      data: (body.data as { embedding: number[] }[]).map((d, i) => (i === 1 ? { ...d, embedding: d.embedding.slice(1) } : d)),
    }))
    expect((await failure(embedder.embed(['one', 'two']))).message).toContain('15 dimensions, expected 16')

    emulator.setEmbeddingsOverride((body) => ({
      ...body,
      data: (body.data as { embedding: number[] }[]).map((d) => ({ ...d, embedding: d.embedding.map(String) })),
    }))
    expect((await failure(embedder.embed(['one']))).message).toContain('not a list of finite numbers')
  })

  test('gives blank texts the zero vector without asking the server', async () => {
    const vectors = await createOpenAiEmbedder(base).embed(['', '  ', 'word'])
    expect(vectors[0]).toEqual(new Array(16).fill(0))
    expect(vectors[1]).toEqual(new Array(16).fill(0))
    expect(norm(vectors[2]!)).toBeCloseTo(1, 10)
    expect(emulator.requests.map((r) => r.embeddings?.input)).toEqual([['word']])
    expect(await createOpenAiEmbedder(base).embed([])).toEqual([])
  })

  test('tells the operator to check the key when the server refuses it', async () => {
    const error = await failure(createOpenAiEmbedder({ ...base, apiKey: 'sk-wrong', maxRetries: 0 }).embed(['one']))
    expect(error.code).toBe('embedding_auth_failed')
    expect(error.message).toContain('check the embedding API key')
    expect(error.extras.retryable).toBe(false)
  })

  test('sends no Authorization header to a keyless server', async () => {
    const keyless = await startOpenAiEmulator({ requireApiKey: false, defaultDimensions: 16 })
    try {
      await createOpenAiEmbedder({ ...base, baseUrl: keyless.url, apiKey: null }).embed(['one'])
      expect(keyless.requests[0]!.hasAuthorization).toBe(false)
      await createOpenAiEmbedder({ ...base, baseUrl: keyless.url }).embed(['one'])
      expect(keyless.requests[1]!.hasAuthorization).toBe(true)
    } finally {
      await keyless.stop()
    }
  })
})
