// Without an Anthropic key the product still answers: extractively, from the
// retrieved passages, cited and clearly labelled, through the same protocol.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse, tokenText } from '../../testing/sseClient.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { NOTHING_FOUND } from '../generation/llm/extractiveAnswer.ts'
import { EXTRACTIVE_DOCUMENT_NOTICE, EXTRACTIVE_NOTICE } from '../generation/llm/extractiveProvider.ts'

let ctx: TestApp
let owner: TestUser
let conversationId: string
let videoId: string

beforeAll(async () => {
  ctx = await createTestApp()
  owner = await makeUser(ctx.db.sql, ctx.config)
  const call = (path: string, json: unknown) => ctx.call(owner, path, { method: 'POST', json })
  const collectionId = (await (await call('/api/collections', { name: 'Offline' })).json()).id
  videoId = await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Bread baking',
    segments: cues([
      'Today we bake sourdough bread at home with a simple starter.',
      'The dough should rest for twelve hours in the fridge so the flavour develops slowly overnight.',
      'Bake at two hundred and thirty degrees with steam for the first twenty minutes.',
    ]),
  })
  conversationId = (await (await call('/api/conversations', { collectionId })).json()).id
})
afterAll(() => ctx.close())

test('streams an extractive, cited answer labelled "no language model configured"', async () => {
  const res = await ctx.app.handle(
    request(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      json: { content: 'How long should the dough rest in the fridge?' },
      headers: owner.bearer,
    }),
  )
  const events = await readSse(res)
  const sources = events[0]!
  expect(sources.event).toBe('sources')
  expect(sources.data).toMatchObject({ mode: 'extractive', model: 'extractive', notice: EXTRACTIVE_NOTICE })
  // Streamed in pieces (how many depends on how the hub batches them under load).
  expect(events.filter((e) => e.event === 'token').length).toBeGreaterThan(1)
  const text = tokenText(events)
  // One notice, beside the answer (the sources event above), never inside it.
  expect(text).not.toContain(EXTRACTIVE_NOTICE)
  expect(text).toBe('> The dough should rest for twelve hours in the fridge so the flavour develops slowly overnight. [1]')
  const citations = events.find((e) => e.event === 'citations')!.data.citations
  expect(citations.length).toBeGreaterThan(0)
  const done = events.at(-1)!
  expect(done.event).toBe('done')
  expect(done.data).toMatchObject({ status: 'complete', mode: 'extractive' })
  const stored = (
    await (await ctx.app.handle(request(`/api/conversations/${conversationId}`, { headers: owner.bearer }))).json()
  ).messages.at(-1)
  expect(stored).toMatchObject({ mode: 'extractive', model: 'extractive', status: 'complete' })
  expect(stored.citations[0].videoTitle).toBe('Bread baking')
})

test('says plainly that nothing was found instead of quoting unrelated passages', async () => {
  const res = await ctx.app.handle(
    request(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      json: { content: 'Who won the football world cup in 1998?' },
      headers: owner.bearer,
    }),
  )
  const events = await readSse(res)
  expect(tokenText(events)).toBe(NOTHING_FOUND)
  expect(events.find((e) => e.event === 'citations')!.data.citations).toEqual([])
})

test("a summary without a model quotes the video's key sentences, cited, with the notice beside it", async () => {
  const events = await readSse(
    await ctx.app.handle(request('/api/artifacts', { method: 'POST', json: { kind: 'summary', videoId }, headers: owner.bearer })),
  )
  expect(events[0]!.data).toMatchObject({ mode: 'extractive', notice: EXTRACTIVE_DOCUMENT_NOTICE })
  const text = tokenText(events)
  expect(text).not.toContain(EXTRACTIVE_DOCUMENT_NOTICE)
  expect(text).toContain('- Bake at two hundred and thirty degrees with steam for the first twenty minutes. [1]')
  for (const line of text.split('\n')) expect(line).toMatch(/^- [A-Z].*\. \[1\]$/)
  const done = events.at(-1)!
  expect(done.data).toMatchObject({ status: 'complete', content: text })
})
