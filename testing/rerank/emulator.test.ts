// The emulator answers a plain fetch client as TEI and Cohere/Jina answer one:
// the shapes, the errors, the key check, and each failure switch.
import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startRerankEmulator } from './emulator'

const emulator = await startRerankEmulator({ apiKey: 'rk-secret-key', maxDocuments: 4 })
afterAll(() => emulator.stop())
beforeEach(() => emulator.reset())

const DOCS = ['the cat sat', 'a dog barked at the cat on the mat', 'nothing here', 'mat']
const post = (path: string, body: unknown, key: string | null = 'rk-secret-key') =>
  fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

describe('text-embeddings-inference protocol (POST /rerank)', () => {
  test('answers [{index, score}] for every text, best first, scored by word overlap', async () => {
    const res = await post('/rerank', { query: 'cat on the mat', texts: DOCS, truncate: true, raw_scores: false })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([
      { index: 1, score: 1 },
      { index: 0, score: 0.5 },
      { index: 3, score: 0.25 },
      { index: 2, score: 0 },
    ])
    expect(emulator.requests[0]!.rerank).toEqual({ query: 'cat on the mat', documents: DOCS, topN: null, model: null })
  })

  test('refuses a Cohere-shaped body, an empty batch and one over the batch limit as TEI does', async () => {
    const cohere = await post('/rerank', { query: 'cat', documents: DOCS })
    expect(cohere.status).toBe(422)
    expect(cohere.headers.get('content-type')).toContain('text/plain')
    expect(await (await post('/rerank', { query: 'cat', texts: [] })).json()).toEqual({
      error: '`texts` cannot be empty',
      error_type: 'Empty',
    })
    const big = await post('/rerank', { query: 'cat', texts: [...DOCS, 'one more'] })
    expect(big.status).toBe(422)
    expect(await big.json()).toEqual({ error: 'batch size 5 > maximum allowed batch size 4', error_type: 'Validation' })
  })

  test('a wrong or missing key gets a bare 401, and no key is recorded', async () => {
    for (const key of ['rk-wrong', null]) {
      const res = await post('/rerank', { query: 'cat', texts: DOCS }, key)
      expect(res.status).toBe(401)
      expect(await res.text()).toBe('')
    }
    expect(emulator.requests.map((r) => [r.hasAuthorization, r.authorized])).toEqual([
      [true, false],
      [false, false],
    ])
    expect(JSON.stringify(emulator.requests)).not.toContain('rk-')
  })
})

describe('Cohere / Jina protocol (POST /v2/rerank, /v1/rerank)', () => {
  test('answers {results: [{index, relevance_score}]} cut at top_n, on both paths', async () => {
    for (const path of ['/v2/rerank', '/v1/rerank']) {
      const res = await post(path, { model: 'rerank-v3.5', query: 'cat on the mat', documents: DOCS, top_n: 2 })
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body.results).toEqual([
        { index: 1, relevance_score: 1 },
        { index: 0, relevance_score: 0.5 },
      ])
    }
    expect(emulator.requests[0]!.rerank?.model).toBe('rerank-v3.5')
  })

  test('refuses a TEI-shaped body and a bad key with a message', async () => {
    const tei = await post('/v2/rerank', { query: 'cat', texts: DOCS })
    expect(tei.status).toBe(400)
    expect((await tei.json()).message).toContain('documents')
    const stranger = await post('/v2/rerank', { query: 'cat', documents: DOCS }, 'rk-wrong')
    expect(stranger.status).toBe(401)
    expect(await stranger.json()).toEqual({ message: 'invalid api token' })
  })
})

describe('failure switches (off unless set)', () => {
  const ask = () => post('/v2/rerank', { query: 'cat', documents: DOCS })

  test('500 for as many requests as scripted, then normal answers', async () => {
    emulator.setFailure({ mode: '500', times: 1 })
    expect((await ask()).status).toBe(500)
    expect((await ask()).status).toBe(200)
  })

  test('malformed: 200 with JSON cut short; bad-index: 200 naming a document never sent', async () => {
    emulator.setFailure({ mode: 'malformed' })
    const cut = await ask()
    expect(cut.status).toBe(200)
    await expect(cut.json()).rejects.toThrow()
    emulator.setFailure({ mode: 'bad-index' })
    const ghost = (await (await ask()).json()).results
    expect(ghost[0].index).toBeGreaterThanOrEqual(DOCS.length)
  })

  test('slow: the client that gives up gets no answer, and the server lets go', async () => {
    emulator.setFailure({ mode: 'slow', delayMs: 60_000 })
    const controller = new AbortController()
    const pending = fetch(`${emulator.url}/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer rk-secret-key' },
      body: JSON.stringify({ query: 'cat', texts: DOCS }),
      signal: controller.signal,
    })
    // Abort once the server holds the request (recorded), not after a guessed time.
    for (let i = 0; i < 200 && emulator.requests.length === 0; i++) await Bun.sleep(5)
    controller.abort()
    await expect(pending).rejects.toThrow()
    emulator.setFailure(null)
    expect((await ask()).status).toBe(200)
  })

  test('setScorer replaces the scores', async () => {
    emulator.setScorer((_q, doc) => doc.length)
    const body = await (await ask()).json()
    expect(body.results.map((r: { index: number }) => r.index)).toEqual([1, 2, 0, 3])
  })
})
