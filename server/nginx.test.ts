// The nginx configuration the Ansible role deploys, in front of a real api:
// answers stream through it event by event (no buffering, no gzip), /metrics
// stays inside, and rate limits see each client's own address
// (TRUSTED_PROXIES=127.0.0.1/32).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../testing/anthropic/emulator.ts'
import { makeCollection, makeUser, type TestUser } from '../testing/factories.ts'
import { startNginx } from '../testing/startNginx.ts'
import { cues, seedVideo } from '../testing/seedVideo.ts'
import { readSse, tokenText } from '../testing/sseClient.ts'
import { requestFrom } from '../testing/requestFrom.ts'
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
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: ctx.db.url,
      PORT: '0',
      LOG_LEVEL: 'error',
      JWT_SECRET: ctx.config.JWT_SECRET!,
      PUBLIC_URL: ctx.config.PUBLIC_URL,
      TRUSTED_PROXIES: '127.0.0.1/32',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: emulator.url,
    }),
    createLogger('error'),
    { web: null },
  )
  nginx = await startNginx(new URL(api.url).host)
  user = await makeUser(ctx.db.sql, ctx.config)
  const collectionId = await makeCollection(ctx, user, { name: 'Proxy' })
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
    headers: { ...user.bearer, 'content-type': 'application/json', 'accept-encoding': 'gzip' },
    body: JSON.stringify({ content: 'What does caching do?' }),
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  expect(res.headers.get('content-encoding')).toBeNull()
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
  expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404)
  expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200)
})

describe('client addresses behind nginx', () => {
  const login = (via: string, from: string, email: string, password: string, headers: Record<string, string> = {}) =>
    requestFrom(from, `${via}/api/auth/login`, {
      method: 'POST',
      headers: { origin: new URL(ctx.config.PUBLIC_URL).origin, ...headers },
      json: { email, password },
    })

  test("an attacker's failures through the proxy throttle the attacker, not the victim, even when it claims the victim's address", async () => {
    const victim = await makeUser(ctx.db.sql, ctx.config)
    // Attacker at 127.0.0.2 pretends to be the victim's 127.0.0.3; nginx appends the real address.
    for (let i = 0; i < 5; i++)
      expect((await login(nginx.url, '127.0.0.2', victim.email, `guess-${i}-xxxx`, { 'x-forwarded-for': '127.0.0.3' })).status).toBe(401)
    expect((await login(nginx.url, '127.0.0.2', victim.email, 'guess-5-xxxx')).status).toBe(429)
    expect((await login(nginx.url, '127.0.0.3', victim.email, victim.password)).status).toBe(200)
    const [row] = await ctx.db.sql`select key from rate_limits where key like ${`login:account-ip:${victim.email}|%`}`
    expect(row!.key).toBe(`login:account-ip:${victim.email}|127.0.0.2`)
  })

  test('a client reaching the api directly cannot pick its address with X-Forwarded-For', async () => {
    const victim = await makeUser(ctx.db.sql, ctx.config)
    for (let i = 0; i < 5; i++)
      expect((await login(api.url, '127.0.0.4', victim.email, `guess-${i}-xxxx`, { 'x-forwarded-for': `198.51.100.${i}` })).status).toBe(
        401,
      )
    expect((await login(api.url, '127.0.0.4', victim.email, 'guess-5-xxxx', { 'x-forwarded-for': '198.51.100.99' })).status).toBe(429)
  })
})
