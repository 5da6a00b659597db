// Regenerate and edit-and-resend: a question sent with `replacing: answerId`
// replaces that answer's question, the answer and every later message; the new
// answer is written from the history before them only.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUsers, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse } from '../../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let owner: TestUser
let stranger: TestUser
let collectionId: string

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  ctx = await createTestApp({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: emulator.url })
  ;({ owner, stranger } = await makeUsers(ctx.db.sql, ctx.config))
  collectionId = (await (await ctx.call(owner, '/api/collections', { method: 'POST', json: { name: 'Talks' } })).json()).id
  await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Caching talk',
    segments: cues(['DiskCache stores cached values in SQLite files on disk.', 'Eviction policies include least recently stored.'], 30_000),
  })
})
afterAll(async () => {
  await ctx.close()
  await emulator.stop()
})

type Msg = { id: string; role: string; content: string }
const messagesOf = async (id: string): Promise<Msg[]> => (await (await ctx.call(owner, `/api/conversations/${id}`)).json()).messages
const ask = (conversationId: string, content: string, replacing?: string, user = owner) =>
  ctx.call(user, `/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    json: { content, ...(replacing ? { replacing } : {}) },
  })

async function conversationOfThree(): Promise<string> {
  const id = (await (await ctx.call(owner, '/api/conversations', { method: 'POST', json: { collectionId } })).json()).id
  for (const n of [1, 2, 3]) {
    emulator.setScript({ text: `Answer ${n}.` })
    await readSse(await ask(id, `Question ${n}?`))
  }
  return id
}

test('regenerating an answer replaces it and every later message; the model sees only the history before it', async () => {
  const id = await conversationOfThree()
  const before = await messagesOf(id)
  const second = before[3]!
  emulator.setScript({ text: 'Answer 2, again.' })
  const events = await readSse(await ask(id, 'Question 2?', second.id))
  expect(events.at(-1)!.data.status).toBe('complete')
  const after = await messagesOf(id)
  expect(after.map((m) => m.content)).toEqual(['Question 1?', 'Answer 1.', 'Question 2?', 'Answer 2, again.'])
  expect(after.slice(0, 2).map((m) => m.id)).toEqual(before.slice(0, 2).map((m) => m.id))
  const turns = (emulator.requests.at(-1)!.body as { messages: { content: string }[] }).messages.map((m) => m.content)
  expect(turns.join('\n')).toContain('Answer 1.')
  expect(turns.join('\n')).not.toContain('Answer 2.')
  expect(turns.join('\n')).not.toContain('Question 3?')
})

test('an edited first question starts the conversation over', async () => {
  const id = await conversationOfThree()
  const [, firstAnswer] = await messagesOf(id)
  emulator.setScript({ text: 'A different answer.' })
  await readSse(await ask(id, 'A better first question?', firstAnswer!.id))
  expect((await messagesOf(id)).map((m) => m.content)).toEqual(['A better first question?', 'A different answer.'])
})

test('an answer still being written cannot be replaced, and nothing is deleted', async () => {
  const id = await conversationOfThree()
  const before = await messagesOf(id)
  await ctx.db.sql`update messages set status = 'streaming' where id = ${before[5]!.id}`
  const res = await ask(id, 'Question 2?', before[3]!.id)
  expect(res.status).toBe(409)
  expect((await res.json()).code).toBe('answer_streaming')
  expect((await messagesOf(id)).map((m) => m.id)).toEqual(before.map((m) => m.id))
})

test('an answer of another conversation, or a question, is not found; a stranger cannot replace anything', async () => {
  const id = await conversationOfThree()
  const other = await conversationOfThree()
  const [question, answer] = await messagesOf(other)
  expect((await ask(id, 'Q?', answer!.id)).status).toBe(404)
  expect((await ask(other, 'Q?', question!.id)).status).toBe(404)
  expect((await ask(other, 'Q?', answer!.id, stranger)).status).toBe(404)
  expect((await messagesOf(other)).length).toBe(6)
})
