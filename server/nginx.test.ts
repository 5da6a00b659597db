// The documented nginx site config in front of a real api: answers stream
// through it event by event (no buffering), and /metrics stays inside.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../testing/factories.ts'
import { startNginx } from '../testing/startNginx.ts'
import { cues, seedVideo } from '../testing/seedVideo.ts'
import { readSse, tokenText } from '../testing/sseClient.ts'
import { createTestApp, type TestApp } from '../testing/testApp.ts'
import { loadConfig } from './platform/config.ts'
import { createLogger } from './platform/logger.ts'
import { startServer, type RunningServer } from './server.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let api: RunningServer
let nginx: Awaited<ReturnType<typeof startNginx>>
let user: TestUser
let conversationId: string

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  ctx = await createTestApp()
  api = await startServer(
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: ctx.db.url, PORT: '0', LOG_LEVEL: 'error', JWT_SECRET: ctx.config.JWT_SECRET!, PUBLIC_URL: ctx.config.PUBLIC_URL, TRUST_PROXY: 'true', ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: emulator.url }),
    createLogger('error'),
    { web: null },
  )
  nginx = await startNginx(new URL(api.url).host)
  user = await makeUser(ctx.db.sql, ctx.config)
  const [c] = await ctx.db.sql`insert into collections (owner_id, name) values (${user.id}, 'Proxy') returning id`
  await ctx.db.sql`insert into collection_members (collection_id, user_id, role) values (${c!.id}, ${user.id}, 'owner')`
  await seedVideo(ctx, { collectionId: c!.id, userId: user.id, title: 'Talk', segments: cues(['Caching keeps hot data close to the code that reads it.']) })
  const [conv] = await ctx.db.sql`insert into conversations (collection_id, user_id) values (${c!.id}, ${user.id}) returning id`
  conversationId = conv!.id
})
afterAll(async () => {
  await nginx.stop()
  await api.stop()
  await ctx.close()
  await emulator.stop()
})

test('an answer streams through nginx: the first token arrives while the model is still writing', async () => {
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')
  emulator.setScript({ text: `${words} [1]`, tokensPerSecond: 20 })
  const res = await fetch(`${nginx.url}/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { ...user.bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ content: 'What does caching do?' }),
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  let modelDoneAtFirstToken = null as boolean | null
  const events = await readSse(res, {
    onEvent: (e) => {
      if (e.event === 'token' && modelDoneAtFirstToken === null) modelDoneAtFirstToken = emulator.requests.at(-1)!.completed
    },
  })
  expect(modelDoneAtFirstToken).toBe(false)
  expect(tokenText(events)).toBe(`${words} [1]`)
  expect(events.at(-1)!.event).toBe('done')
})

test('/metrics is not reachable through the public proxy', async () => {
  expect((await fetch(`${nginx.url}/metrics`)).status).toBe(403)
  expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200)
})
