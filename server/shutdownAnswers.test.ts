// A rolling deploy stops api instances while they generate answers. An answer
// whose client has gone (it will resume on another instance with Last-Event-ID)
// must still be finished and stored before the instance exits.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../testing/anthropic/emulator.ts'
import { makeCollection, makeUser, type TestUser } from '../testing/factories.ts'
import { cues, seedVideo } from '../testing/seedVideo.ts'
import { readSse, tokenText } from '../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../testing/testApp.ts'
import { loadConfig } from './platform/config.ts'
import { createLogger } from './platform/logger.ts'
import { startServer } from './server.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let user: TestUser
let conversationId: string

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  ctx = await createTestApp()
  user = await makeUser(ctx.db.sql, ctx.config)
  const collectionId = await makeCollection(ctx, user)
  await seedVideo(ctx, {
    collectionId,
    userId: user.id,
    title: 'Talk',
    segments: cues(['Caching keeps hot data close to the code that reads it.']),
  })
  const [conv] = await ctx.db.sql`insert into conversations (collection_id, user_id) values (${collectionId}, ${user.id}) returning id`
  conversationId = conv!.id
})
afterAll(async () => {
  await ctx.close()
  await emulator.stop()
})

test('an answer whose client left is finished and stored before a stopping api exits', async () => {
  const api = await startServer(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: ctx.db.url,
      PORT: '0',
      LOG_LEVEL: 'error',
      JWT_SECRET: ctx.config.JWT_SECRET!,
      PUBLIC_URL: ctx.config.PUBLIC_URL,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: emulator.url,
      SHUTDOWN_TIMEOUT_MS: '20000',
    }),
    createLogger('error'),
    { web: null },
  )
  const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')
  emulator.setScript({ text: `${words} [1]`, tokensPerSecond: 30 })
  const abort = new AbortController()
  const res = await fetch(`${api.url}/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { ...user.bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ content: 'What does caching do?' }),
    signal: abort.signal,
  })
  const first = await readSse(res, { stopAfter: (_e, all) => all.filter((e) => e.event === 'token').length >= 2 })
  abort.abort()
  const messageId = first[0]!.data.messageId as string

  await api.stop()

  const [stored] = await ctx.db.sql`select status, content from messages where id = ${messageId}`
  expect(stored).toEqual({ status: 'complete', content: `${words} [1]` })
  // What a client resuming elsewhere replays is the same answer.
  const [row] = await ctx.db.sql`select count(*)::int as n from stream_events where stream_id = ${messageId} and event = 'done'`
  expect(row!.n).toBe(1)
  expect(tokenText(first).length).toBeGreaterThan(0)
})
