// A conversation's answer settings over HTTP, on real Postgres and the real
// Anthropic SDK against the emulator: stored with the conversation, checked
// against what the server allows, and honoured by retrieval and the model call.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse } from '../../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { rankCollections } from '../retrieval/searchCollections.ts'
import { NOTHING_FOUND } from '../generation/llm/extractiveAnswer.ts'
import { MODEL_ONLY_PROMPT } from './prompt.ts'

const QUESTION = 'How long does sourdough bread dough rest before baking?'
const TOPICS = [
  ['Sourdough basics', 'Sourdough bread dough rests twelve hours in the fridge before baking.', 'A starter feeds on flour and water.'],
  ['Oven work', 'Bake the bread with steam for twenty minutes, then without for twenty more.', 'A baking stone holds the heat.'],
  ['Flour', 'Rye flour makes a dense bread; wheat flour rises higher.', 'Sift the flour for cakes.'],
  ['Garden', 'Tomatoes need six hours of sun.', 'Water the beds early in the morning before the heat.'],
  ['Bikes', 'Chain oil keeps the drivetrain quiet.', 'Check tyre pressure every week before riding.'],
] as const

type Source = { chunkId: number; videoId: string }

async function seedCollection(ctx: TestApp, owner: TestUser): Promise<string> {
  const res = await ctx.call(owner, '/api/collections', { method: 'POST', json: { name: 'Kitchen' } })
  const collectionId = (await res.json()).id as string
  for (const [title, ...lines] of TOPICS) await seedVideo(ctx, { collectionId, userId: owner.id, title, segments: cues([...lines]) })
  return collectionId
}

describe('with a language model', () => {
  let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
  let ctx: TestApp
  let owner: TestUser
  let collectionId: string
  const call = (path: string, init: RequestInit & { json?: unknown } = {}) => ctx.call(owner, path, init)
  const json = async (path: string, init: RequestInit & { json?: unknown } = {}) => (await call(path, init)).json()
  const ask = async (conversationId: string) => {
    const events = await readSse(
      await call(`/api/conversations/${conversationId}/messages`, { method: 'POST', json: { content: QUESTION } }),
    )
    return { sources: events[0]!.data.sources as Source[], done: events.find((e) => e.event === 'done')!.data }
  }
  const lastModelRequest = () =>
    emulator.requests.at(-1)!.body as { model: string; temperature?: number; system: unknown; messages: unknown }

  beforeAll(async () => {
    emulator = await startAnthropicEmulator()
    ctx = await createTestApp({
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ANTHROPIC_BASE_URL: emulator.url,
      ANTHROPIC_MODEL: 'claude-main-1',
      ANTHROPIC_MODELS: 'claude-small-1, claude-main-1',
    })
    owner = await makeUser(ctx.db.sql, ctx.config)
    collectionId = await seedCollection(ctx, owner)
  })
  afterAll(async () => {
    await ctx.close()
    await emulator.stop()
  })

  test('the options list the allowed models, the default first', async () => {
    expect(await json('/api/conversations/answer-options')).toEqual({
      languageModel: true,
      models: ['claude-main-1', 'claude-small-1'],
      defaults: { maxContextChunks: 8, temperature: null, model: 'claude-main-1' },
    })
  })

  test('settings are stored with the conversation and reach the model call: model, temperature, passages', async () => {
    const settings = { maxContextChunks: 2, temperature: 0.3, model: 'claude-small-1' }
    const created = await json('/api/conversations', { method: 'POST', json: { collectionId, settings } })
    expect(created.settings).toEqual({ useRag: true, minSimilarity: null, ...settings })
    expect((await json(`/api/conversations/${created.id}`)).settings).toEqual(created.settings)

    const { sources, done } = await ask(created.id)
    expect(sources.length).toBe(2)
    expect(done.model).toBe('claude-small-1')
    expect(lastModelRequest()).toMatchObject({ model: 'claude-small-1', temperature: 0.3 })

    // Back to the server's defaults: eight passages at most (the collection has five), no temperature sent.
    const reset = await json(`/api/conversations/${created.id}`, {
      method: 'PATCH',
      json: { settings: { maxContextChunks: null, temperature: null, model: null } },
    })
    expect(reset.settings).toEqual({ useRag: true, maxContextChunks: null, minSimilarity: null, temperature: null, model: null })
    expect((await ask(created.id)).sources.length).toBeGreaterThan(2)
    expect(lastModelRequest().model).toBe('claude-main-1')
    expect(lastModelRequest().temperature).toBeUndefined()
  })

  test('a relevance floor drops the passages less similar to the question than it', async () => {
    // Similarities as retrieval sees them (the search page drops filler hits with a floor of its own).
    const { hits } = await rankCollections(ctx.db.sql, ctx.config, { collectionIds: [collectionId], query: QUESTION, k: 10 })
    const similarity = new Map(hits.filter((h) => h.vectorDistance !== null).map((h) => [h.chunkId, 1 - h.vectorDistance!]))
    const sorted = [...similarity.values()].sort((a, b) => b - a)
    expect(sorted.length).toBeGreaterThan(2)
    // Between the second and third most similar passages: two stay.
    const floor = Math.round(((sorted[1]! + sorted[2]!) / 2) * 1e4) / 1e4
    const c = await json('/api/conversations', { method: 'POST', json: { collectionId, settings: { minSimilarity: floor } } })
    const { sources } = await ask(c.id)
    expect(sources.length).toBe(2)
    for (const s of sources) expect(similarity.get(s.chunkId)!).toBeGreaterThanOrEqual(floor)

    await call(`/api/conversations/${c.id}`, { method: 'PATCH', json: { settings: { minSimilarity: 1 } } })
    expect((await ask(c.id)).sources).toEqual([])
  })

  test('answering from the model alone: no passages searched or sent, its own instructions', async () => {
    const c = await json('/api/conversations', { method: 'POST', json: { collectionId, settings: { useRag: false } } })
    const { sources, done } = await ask(c.id)
    expect(sources).toEqual([])
    expect(done.status).toBe('complete')
    const body = lastModelRequest()
    expect(JSON.stringify(body.system)).toContain(JSON.stringify(MODEL_ONLY_PROMPT).slice(1, 60))
    expect(JSON.stringify(body.messages)).not.toContain('<sources')
  })

  test('a model the server does not list, or out-of-range values, are refused and change nothing', async () => {
    const c = await json('/api/conversations', { method: 'POST', json: { collectionId, settings: { maxContextChunks: 3 } } })
    const refused = await call(`/api/conversations/${c.id}`, {
      method: 'PATCH',
      json: { settings: { model: 'gpt-omni', maxContextChunks: 4 } },
    })
    expect(refused.status).toBe(400)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    expect((await refused.json()).code).toBe('model_not_allowed')
    for (const settings of [{ maxContextChunks: 0 }, { maxContextChunks: 51 }, { temperature: 1.5 }, { minSimilarity: -0.1 }, {}]) {
      const res = await call(`/api/conversations/${c.id}`, { method: 'PATCH', json: { settings } })
      expect(res.status).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    expect((await json(`/api/conversations/${c.id}`)).settings.maxContextChunks).toBe(3)
    const before = (await json(`/api/conversations?collectionId=${collectionId}`)).items.length
    const create = await call('/api/conversations', { method: 'POST', json: { collectionId, settings: { model: 'x' } } })
    expect(create.status).toBe(400)
    expect((await json(`/api/conversations?collectionId=${collectionId}`)).items.length).toBe(before)
  })

  test('exports carry the settings', async () => {
    const c = await json('/api/conversations', {
      method: 'POST',
      json: { collectionId, settings: { maxContextChunks: 3, minSimilarity: 0.2, model: 'claude-small-1', temperature: 0.5 } },
    })
    await ask(c.id)
    const markdown = await (await call(`/api/conversations/${c.id}/export`)).text()
    expect(markdown).toContain(
      '_Settings: answers from the videos · 3 passages · relevance floor 0.2 · model claude-small-1 · temperature 0.5_',
    )
    const exported = await json(`/api/conversations/${c.id}/export?format=json`)
    expect(exported.settings).toEqual({ useRag: true, maxContextChunks: 3, minSimilarity: 0.2, model: 'claude-small-1', temperature: 0.5 })
  })
})

describe('without a language model', () => {
  let ctx: TestApp
  let owner: TestUser
  let collectionId: string
  const call = (path: string, init: RequestInit & { json?: unknown } = {}) => ctx.call(owner, path, init)
  const json = async (path: string, init: RequestInit & { json?: unknown } = {}) => (await call(path, init)).json()

  beforeAll(async () => {
    ctx = await createTestApp()
    owner = await makeUser(ctx.db.sql, ctx.config)
    collectionId = await seedCollection(ctx, owner)
  })
  afterAll(() => ctx.close())

  test('only the retrieval settings can be chosen, and they are honoured by the quoted answer', async () => {
    expect(await json('/api/conversations/answer-options')).toEqual({
      languageModel: false,
      models: [],
      defaults: { maxContextChunks: 8, temperature: null, model: null },
    })
    const c = await json('/api/conversations', { method: 'POST', json: { collectionId } })
    for (const [settings, code] of [
      [{ useRag: false }, 'model_required'],
      [{ model: 'claude-main-1' }, 'model_not_allowed'],
    ] as const) {
      const res = await call(`/api/conversations/${c.id}`, { method: 'PATCH', json: { settings } })
      expect(res.status).toBe(400)
      expect((await res.json()).code).toBe(code)
    }
    await call(`/api/conversations/${c.id}`, { method: 'PATCH', json: { settings: { maxContextChunks: 1 } } })
    const events = await readSse(await call(`/api/conversations/${c.id}/messages`, { method: 'POST', json: { content: QUESTION } }))
    expect(events[0]!.data.sources.length).toBe(1)
    expect(events.find((e) => e.event === 'done')!.data.content).toContain('twelve hours')

    await call(`/api/conversations/${c.id}`, { method: 'PATCH', json: { settings: { minSimilarity: 1 } } })
    const floored = await readSse(await call(`/api/conversations/${c.id}/messages`, { method: 'POST', json: { content: QUESTION } }))
    expect(floored[0]!.data.sources).toEqual([])
    expect(floored.find((e) => e.event === 'done')!.data.content).toBe(NOTHING_FOUND)
  })
})
