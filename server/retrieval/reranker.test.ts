// The optional reranker on real Postgres, against the rerank emulator over
// HTTP: the search routes and chat keep the order it gives; a reranker that
// fails, is late or answers garbage leaves the fused order and the request
// succeeds; without RERANK_BASE_URL nothing is called; the key travels only
// in the Authorization header.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { startRerankEmulator, type FailureMode, type RerankEmulator } from '../../testing/rerank/emulator.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse } from '../../testing/sseClient.ts'
import { createSecondInstance, createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { loadConfig } from '../platform/config.ts'
import type { Hit } from './model.ts'
import { createReranker } from './reranker.ts'

const KEY = 'rk-live-reranker-key-0123456789'
const QUESTION = 'how often should the garden tomatoes get water'
// Full text ranks the first ones highest; the scripted reranker prefers compost.
const PASSAGES = [
  ['Watering', 'Garden tomatoes get water every morning; how often depends on the heat.'],
  ['Tomato care', 'Tomatoes in the garden need water often and six hours of sun.'],
  ['Beds', 'Water the garden beds early, before the heat of the day.'],
  ['Compost', 'Compost keeps the garden soil moist, so tomatoes need less water.'],
  ['Seeds', 'Start tomato seeds indoors, then move them to the garden.'],
  ['Sheds', 'A garden shed keeps the tools dry over winter.'],
] as const
const compostFirst = (_q: string, doc: string) => (doc.startsWith('Compost') ? 0.9 : doc.length / 1000)

let reranker: RerankEmulator
let ctx: TestApp
let off: Awaited<ReturnType<typeof createSecondInstance>>
let owner: TestUser
let collectionId: string

beforeAll(async () => {
  reranker = await startRerankEmulator({ apiKey: KEY })
  ctx = await createTestApp({ RERANK_BASE_URL: reranker.url, RERANK_API: 'tei', RERANK_API_KEY: KEY, RERANK_TIMEOUT_MS: '300' })
  // The same database, configured without a reranker.
  off = await createSecondInstance(ctx)
  owner = await makeUser(ctx.db.sql, ctx.config)
  const res = await ctx.call(owner, '/api/collections', { method: 'POST', json: { name: 'Garden' } })
  collectionId = (await res.json()).id
  for (const [title, text] of PASSAGES) await seedVideo(ctx, { collectionId, userId: owner.id, title, segments: cues([text]) })
})
afterAll(async () => {
  await off?.close()
  await ctx?.close()
  await reranker?.stop()
})
beforeEach(() => reranker.reset())

async function search(app: { handle(r: Request): Promise<Response> }, k = 3): Promise<Hit[]> {
  const res = await ctx.call(
    owner,
    `/api/collections/${collectionId}/search?${new URLSearchParams({ q: QUESTION, k: String(k) })}`,
    {},
    app,
  )
  expect(res.status).toBe(200)
  return (await res.json()).hits
}
const fusedOrder = async (k = 3) => (await search(off.app, k)).map((h) => h.chunkId)
const metrics = async () => (await ctx.app.handle(request('/metrics', { peer: '127.0.0.1' }))).text()

describe('search with a reranker', () => {
  test('sends the fused candidates with the key in the Authorization header, and the top k follow its order', async () => {
    const fused = await search(off.app, 30)
    expect(fused.length).toBeGreaterThan(3)
    // Not what full text and vectors put first, so the test can tell the orders apart.
    expect(fused[0]!.text.startsWith('Compost')).toBe(false)
    reranker.setScorer(compostFirst)

    const hits = await search(ctx.app)
    expect(reranker.requests).toHaveLength(1)
    const sent = reranker.requests[0]!
    expect(sent).toMatchObject({ path: '/rerank', api: 'tei', hasAuthorization: true, authorized: true, status: 200 })
    expect(sent.rerank!.query).toBe(QUESTION)
    // Every fused candidate (fewer than RERANK_CANDIDATES here), in fused order.
    expect(sent.rerank!.documents).toEqual(fused.map((h) => h.text))

    const expected = fused
      .map((h) => ({ id: h.chunkId, score: compostFirst(QUESTION, h.text) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
    expect(hits.map((h) => h.chunkId)).toEqual(expected.map((e) => e.id))
    expect(hits[0]!.text.startsWith('Compost')).toBe(true)
    expect(hits.map((h) => h.rerankScore)).toEqual(expected.map((e) => expect.closeTo(e.score, 6)))
    expect(await metrics()).toMatch(/kt_rerank_requests_total\{outcome="reranked"[^}]*\} 1/)
  })

  const failures: [FailureMode, string][] = [
    ['500', 'http_error'],
    ['slow', 'timeout'],
    ['malformed', 'invalid'],
    ['bad-index', 'invalid'],
  ]
  for (const [mode, outcome] of failures) {
    test(`a reranker answering ${mode} leaves the fused order; the search succeeds and the failure is counted`, async () => {
      reranker.setScorer(compostFirst)
      reranker.setFailure({ mode, delayMs: 30_000 })
      const logsBefore = ctx.logs.length
      const hits = await search(ctx.app)
      expect(reranker.requests).toHaveLength(1)
      expect(hits.map((h) => h.chunkId)).toEqual(await fusedOrder())
      expect(hits.every((h) => h.rerankScore === null)).toBe(true)
      const warning = ctx.logs.slice(logsBefore).find((l) => l.includes('reranker failed'))
      expect(JSON.parse(warning!)).toMatchObject({ level: 'warn', reason: outcome })
      expect(await metrics()).toMatch(new RegExp(`kt_rerank_requests_total\\{outcome="${outcome}"[^}]*\\} \\d`))
    })
  }

  test('a refused key leaves the fused order, and the key is in no log line', async () => {
    const wrongKey = await createSecondInstance(ctx, {
      RERANK_BASE_URL: reranker.url,
      RERANK_API: 'tei',
      RERANK_API_KEY: 'rk-wrong-key-9876543210',
    })
    try {
      const hits = await search(wrongKey.app)
      expect(reranker.requests.map((r) => [r.status, r.hasAuthorization, r.authorized])).toEqual([[401, true, false]])
      expect(hits.map((h) => h.chunkId)).toEqual(await fusedOrder())
    } finally {
      await wrongKey.close()
    }
    const logs = ctx.logs.join('\n')
    expect(logs).toContain('reranker failed')
    expect(logs).not.toContain('rk-wrong-key-9876543210')
    expect(logs).not.toContain(KEY)
  })

  test('the Cohere protocol: model, query, documents and top_n to …/v2/rerank, order from relevance_score', async () => {
    const cohere = await createSecondInstance(ctx, {
      RERANK_BASE_URL: `${reranker.url}/v2`,
      RERANK_MODEL: 'rerank-v3.5',
      RERANK_API_KEY: KEY,
    })
    try {
      reranker.setScorer(compostFirst)
      const hits = await search(cohere.app, 2)
      const sent = reranker.requests[0]!
      expect(sent).toMatchObject({ path: '/v2/rerank', api: 'cohere', authorized: true, status: 200 })
      expect(sent.rerank).toMatchObject({ model: 'rerank-v3.5', query: QUESTION, topN: sent.rerank!.documents.length })
      expect(hits[0]!.text.startsWith('Compost')).toBe(true)
    } finally {
      await cohere.close()
    }
  })
})

describe('without RERANK_BASE_URL', () => {
  test('the reranker is off: no call, the fused order', async () => {
    expect(createReranker(loadConfig({}), { meter: undefined as never, logger: undefined as never })).toBeNull()
    const hits = await search(off.app)
    expect(hits.length).toBe(3)
    expect(hits.every((h) => h.rerankScore === null)).toBe(true)
    expect(reranker.requests).toHaveLength(0)
  })
})

describe('chat retrieval with a reranker', () => {
  const askedSources = async (app: { handle(r: Request): Promise<Response> }) => {
    const created = await ctx.call(
      owner,
      '/api/conversations',
      { method: 'POST', json: { collectionId, settings: { maxContextChunks: 2 } } },
      app,
    )
    const c = await created.json()
    const res = await ctx.call(owner, `/api/conversations/${c.id}/messages`, { method: 'POST', json: { content: QUESTION } }, app)
    const events = await readSse(res)
    expect(events.find((e) => e.event === 'done')).toBeDefined()
    return (events[0]!.data.sources as { chunkId: number }[]).map((s) => s.chunkId)
  }

  test('the answer’s sources are the reranked top k', async () => {
    reranker.setScorer(compostFirst)
    const compost = (await search(off.app, 30)).find((h) => h.text.startsWith('Compost'))!.chunkId
    const fused = await askedSources(off.app)
    expect(reranker.requests).toHaveLength(0)
    expect(fused[0]).not.toBe(compost)
    const reranked = await askedSources(ctx.app)
    expect(reranker.requests.length).toBeGreaterThanOrEqual(1)
    expect(reranked).toHaveLength(2)
    expect(reranked[0]).toBe(compost)
  })
})
