// Chat and documents against the Free plan's message quota, through the real
// routes: exact under 50 concurrent questions, usage headers on answers, a
// refund when the model fails before its first token, one charge per answer
// however often the SDK retries.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse } from '../../testing/sseClient.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { billingFor } from './billing.ts'
import { reserve } from './quotas.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  // Quotas without Stripe: every account on the Free plan (50 messages a month).
  ctx = await createTestApp({
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: emulator.url,
    LLM_MAX_RETRIES: '2',
    DEFAULT_PLAN: 'free',
    METRICS_TOKEN: 'metrics-token-0123456789',
  })
})
afterAll(async () => {
  await ctx.close()
  await emulator.stop()
})

async function userWithConversation(): Promise<{ user: TestUser; conversationId: string }> {
  const user = await makeUser(ctx.db.sql, ctx.config)
  const call = (path: string, json: unknown) =>
    ctx.call(user, path, { method: 'POST', json }).then((r) => r.json() as Promise<{ id: string }>)
  const collection = await call('/api/collections', { name: 'Talks' })
  await seedVideo(ctx, {
    collectionId: collection.id,
    userId: user.id,
    title: 'Caching',
    segments: cues(['DiskCache keeps values in SQLite files on disk.', 'Eviction is least recently stored.']),
  })
  const conversation = await call('/api/conversations', { collectionId: collection.id })
  return { user, conversationId: conversation.id }
}

const ask = (user: TestUser, conversationId: string) =>
  ctx.call(user, `/api/conversations/${conversationId}/messages`, { method: 'POST', json: { content: 'Where does DiskCache keep data?' } })

async function messagesUsed(userId: string): Promise<{ counter: number; ledger: number }> {
  const [row] = await ctx.db.sql<{ counter: number; ledger: number }[]>`
    select coalesce((select sum(used) from usage_counters where user_id = ${userId} and dimension = 'messages'), 0)::int as counter,
           coalesce((select sum(amount) from usage_ledger where user_id = ${userId} and dimension = 'messages'), 0)::int as ledger`
  return row!
}

async function finish(res: Response) {
  const events = await readSse(res)
  return events.at(-1)!
}

test('50 concurrent questions against 3 remaining messages: 3 answered, 47 refused with quota_exceeded', async () => {
  emulator.setScript({ text: 'In SQLite files [1].' })
  const { user, conversationId } = await userWithConversation()
  for (let i = 0; i < 47; i++)
    await reserve(ctx.db.sql, billingFor(ctx.config), { userId: user.id, dimension: 'messages', amount: 1, reason: 'earlier questions' })
  const responses = await Promise.all(Array.from({ length: 50 }, () => ask(user, conversationId)))
  const answered = responses.filter((r) => r.status === 200)
  const refused = responses.filter((r) => r.status === 402)
  expect([answered.length, refused.length]).toEqual([3, 47])
  const problem = (await refused[0]!.json()) as Record<string, unknown>
  expect(problem).toMatchObject({ code: 'quota_exceeded', dimension: 'messages', limit: 50, used: 50, plan: 'Free' })
  expect(String(problem.upgradeUrl)).toEndWith('/pricing')
  expect(typeof problem.resetsAt).toBe('string')
  expect(refused[0]!.headers.get('content-type')).toBe('application/problem+json')
  for (const r of answered) expect((await finish(r)).event).toBe('done')
  expect(answered.map((r) => r.headers.get('x-usage-messages-remaining')).sort()).toEqual(['0', '1', '2'])
  expect(answered[0]!.headers.get('x-usage-resets-at')).toBe(problem.resetsAt as string)
  expect(await messagesUsed(user.id)).toEqual({ counter: 50, ledger: 50 })
  // Refusals are counted for the dashboards (#15) through the api's meter.
  const metrics = await (
    await ctx.app.handle(request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } }))
  ).text()
  expect(metrics).toMatch(/kt_billing_quota_refusals_total\{dimension="messages"[^}]*\} 47\n/)
  const [messages] = await ctx.db.sql<
    { n: number }[]
  >`select count(*)::int as n from messages where conversation_id = ${conversationId} and role = 'user'`
  expect(messages!.n).toBe(3)
})

test('an answer that fails before its first token (529 after every retry) is refunded', async () => {
  const { user, conversationId } = await userWithConversation()
  emulator.setScript({ text: 'never sent', failBeforeFirstToken: { status: 529, times: 10, retryAfterSeconds: 0 } })
  const last = await finish(await ask(user, conversationId))
  expect(last.event).toBe('error')
  await waitFor(async () => (await messagesUsed(user.id)).counter === 0)
  expect(await messagesUsed(user.id)).toEqual({ counter: 0, ledger: 0 })
})

test('an answer that succeeds after SDK retries is charged once', async () => {
  const { user, conversationId } = await userWithConversation()
  emulator.setScript({ text: 'In SQLite files [1].', failBeforeFirstToken: { status: 529, times: 2, retryAfterSeconds: 0 } })
  const before = emulator.requests.length
  expect((await finish(await ask(user, conversationId))).event).toBe('done')
  expect(emulator.requests.length - before).toBe(3)
  expect(await messagesUsed(user.id)).toEqual({ counter: 1, ledger: 1 })
})

test('the charge is tied to the answer it paid for, in the statement that creates the answer, and settled when it ends', async () => {
  emulator.setScript({ text: 'In SQLite files [1].' })
  const { user, conversationId } = await userWithConversation()
  const done = await finish(await ask(user, conversationId))
  expect(done.event).toBe('done')
  await waitFor(
    async () => (await ctx.db.sql`select 1 from usage_reservations where user_id = ${user.id} and status = 'settled'`).length === 1,
  )
  const reservations = await ctx.db.sql<{ reference: string | null; status: string }[]>`
    select reference, status from usage_reservations where user_id = ${user.id} and dimension = 'messages'`
  expect([...reservations]).toEqual([{ reference: done.data.messageId, status: 'settled' }])
})

test('generated documents count as messages', async () => {
  emulator.setScript({ text: '# Notes\n\nDiskCache uses SQLite [1].' })
  const { user, conversationId } = await userWithConversation()
  await finish(await ask(user, conversationId))
  const res = await ctx.call(user, '/api/artifacts', { method: 'POST', json: { kind: 'summary', conversationId } })
  expect(res.status).toBeLessThan(300)
  await readSse(res)
  await waitFor(async () => (await messagesUsed(user.id)).counter === 2)
})

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(20)
  }
}
