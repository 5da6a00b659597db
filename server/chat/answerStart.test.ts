// An answer's stream starts before its follow-up is rewritten and its passages
// are searched: the response carries the answer's id at once, a stop in that
// time ends it without a model call, and a search that fails ends it with an
// `error` event (nothing of the database's message in it) and the message given back.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAnthropicEmulator, type AnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse } from '../../testing/sseClient.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

let emulator: AnthropicEmulator
let ctx: TestApp
let owner: TestUser
let collectionId: string

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  ctx = await createTestApp({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: emulator.url })
  owner = await makeUser(ctx.db.sql, ctx.config)
  collectionId = (
    await (await ctx.app.handle(request('/api/collections', { method: 'POST', json: { name: 'Talks' }, headers: owner.bearer }))).json()
  ).id
  await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Profiling',
    segments: cues(
      [
        'To find slow code, measure first: profiling beats guessing.',
        'py-spy is a sampling profiler that attaches to a running process.',
        'Flame graphs show where the time goes, widest frames first.',
      ],
      30_000,
    ),
  })
})

afterAll(async () => {
  await ctx.close()
  await emulator.stop()
})

const call = (path: string, init: { method?: string; json?: unknown } = {}) =>
  ctx.app.handle(request(path, { ...init, headers: owner.bearer }))

async function newConversation(): Promise<string> {
  return (await (await call('/api/conversations', { method: 'POST', json: { collectionId } })).json()).id
}

const ask = (conversationId: string, content: string) =>
  call(`/api/conversations/${conversationId}/messages`, { method: 'POST', json: { content } })

const storedAnswer = async (conversationId: string) => (await (await call(`/api/conversations/${conversationId}`)).json()).messages.at(-1)

/** Fails instead of hanging when the response waits for something it should not. */
function within<T>(what: string, p: Promise<T>, ms = 20_000): Promise<T> {
  return Promise.race([p, Bun.sleep(ms).then(() => Promise.reject(new Error(`${what} did not come`)))])
}

test('the stream starts while the follow-up is being rewritten; a stop then ends it without calling the model', async () => {
  const conversationId = await newConversation()
  emulator.setScript({ text: 'Measure first [1].' })
  await readSse(await ask(conversationId, 'How do I find slow code?'))
  let release = () => {}
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  const before = emulator.requests.length
  // The rewrite is held until the test lets it go.
  emulator.setScript(async (req) => (req.stream ? { text: 'Never written.' } : (await held, { text: 'sampling profiler' })))
  const response = await within('the response while the rewrite is held', ask(conversationId, 'and what about it?'))
  expect(response.status).toBe(200)
  const messageId = response.headers.get('x-message-id')!
  expect(messageId).toBe((await storedAnswer(conversationId)).id)
  await emulator.waitForRequest(before, { timeoutMs: 20_000 })
  const stop = await call(`/api/conversations/${conversationId}/messages/${messageId}/stop`, { method: 'POST' })
  expect(stop.status).toBe(202)
  const events = await within('the end of the stopped answer', readSse(response))
  release()
  expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'stopped', messageId } })
  expect(events.some((e) => e.event === 'token')).toBe(false)
  // Only the rewrite reached the model; the answer was never asked for.
  expect(emulator.requests.slice(before).map((r) => r.stream)).toEqual([false])
  expect(await storedAnswer(conversationId)).toMatchObject({ id: messageId, status: 'stopped', content: '' })
})

test('a search that fails after the stream started ends it with search_failed, gives the message back, and leaks nothing', async () => {
  const conversationId = await newConversation()
  emulator.setScript({ text: 'Never written.' })
  const before = emulator.requests.length
  await ctx.db.sql`alter table chunks rename to chunks_away`
  let events: Awaited<ReturnType<typeof readSse>>
  let messageId: string | null
  try {
    const response = await ask(conversationId, 'How do I find slow code?')
    expect(response.status).toBe(200)
    messageId = response.headers.get('x-message-id')
    events = await readSse(response)
  } finally {
    await ctx.db.sql`alter table chunks_away rename to chunks`
  }
  const error = events.at(-1)!
  expect(error).toMatchObject({ event: 'error', data: { code: 'search_failed', status: 503, messageId } })
  expect(JSON.stringify(events)).not.toContain('chunks')
  expect(emulator.requests.length).toBe(before)
  expect(await storedAnswer(conversationId)).toMatchObject({ id: messageId, status: 'failed', content: '' })
  const [reservation] = await ctx.db.sql<{ status: string }[]>`select status from usage_reservations where reference = ${messageId}`
  expect(reservation?.status).toBe('refunded')
  // The same question, asked again once the search works, is answered.
  emulator.setScript({ text: 'Measure first [1].' })
  const again = await readSse(await ask(conversationId, 'How do I find slow code?'))
  expect(again.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } })
  expect(again[0]!.data.sources.length).toBeGreaterThan(0)
})
