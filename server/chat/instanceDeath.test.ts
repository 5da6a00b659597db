// Drill 4 in the test suite: the api instance generating an answer dies
// mid-stream (its database connections drop, as after a SIGKILL). A client
// resuming on another instance gets the tokens it missed and then an `error`
// event, the answer is stored `failed` with exactly the streamed text, and an
// answer nobody follows is settled by maintenance. A slow but living owner is
// never settled; one that stalled past its lease and was settled elsewhere
// tells its own client the stored end, not `done`.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse, tokenText, type SseEvent } from '../../testing/sseClient.ts'
import { createSecondInstance, createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { settleAbandonedStream, settleAbandonedStreams } from '../generation/abandoned.ts'
import { STREAM_OWNERS } from '../streamOwners.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let owner: TestUser
let collectionId: string
// On the Free plan, so every answer holds one message of quota until it is settled.
const env = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: emulator.url, LLM_MAX_RETRIES: '0', DEFAULT_PLAN: 'free' })
// The dying instance holds 2 s leases, so the drill takes seconds, not the production 30 s.
const LEASE_SECONDS = 2

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  ctx = await createTestApp(env())
  owner = await makeUser(ctx.db.sql, ctx.config)
  collectionId = (await (await call(ctx.app, '/api/collections', { method: 'POST', json: { name: 'Talks' } })).json()).id
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

function call(app: TestApp['app'], path: string, init: RequestInit & { json?: unknown } = {}) {
  return app.handle(request(path, { ...init, headers: { ...owner.bearer, ...(init.headers as Record<string, string>) } }))
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(50)
  }
}

/** Starts a long answer on a doomed instance and reads its first tokens there; then the instance "dies". */
async function answerOnDyingInstance(): Promise<{ conversationId: string; messageId: string; first: SseEvent[] }> {
  const doomed = await createSecondInstance(ctx, env(), { leaseSeconds: LEASE_SECONDS })
  emulator.setScript({ text: Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' '), tokensPerSecond: 30 })
  const conversationId = (await (await call(doomed.app, '/api/conversations', { method: 'POST', json: { collectionId } })).json())
    .id as string
  const abort = new AbortController()
  const res = await call(doomed.app, `/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    json: { content: 'Tell me all about caching' },
    signal: abort.signal,
  })
  const first = await readSse(res, { stopAfter: (_e, all) => all.filter((x) => x.event === 'token').length >= 5 })
  abort.abort()
  const messageId = first[0]!.data.messageId as string
  // What the client saw is stored (the owner persists every 40 ms) before the owner goes.
  await until('the seen events to be stored', async () => {
    const [row] = await ctx.db.sql<{ n: number }[]>`select count(*)::int as n from stream_events where stream_id = ${messageId}`
    return row!.n >= first.at(-1)!.id!
  })
  await until('the owner to hold its lease', leaseTaken(messageId))
  // Its connections drop at once, like a SIGKILLed process's: no more events, no lease renewal.
  await doomed.sql.end({ timeout: 0 })
  // Stop its timers (in a real death they die with the process); nothing it does reaches the database any more.
  void doomed.close().catch(() => {})
  return { conversationId, messageId, first }
}

/**
 * The owner takes its lease just after the answer starts (not in the same
 * transaction): an instance killed before that leaves nothing to settle, so a
 * drill kills it only once the lease is there (under load it can come after
 * the model's request).
 */
const leaseTaken = (streamId: string) => async () =>
  (await ctx.db.sql`select 1 from generation_leases where stream_id = ${streamId}`).length > 0

/** The message quota held for an answer: kept when something was streamed, given back when nothing was. */
async function reservationOf(messageId: string): Promise<string | undefined> {
  const [row] = await ctx.db.sql<{ status: string }[]>`select status from usage_reservations where reference = ${messageId}`
  return row?.status
}

const storedAnswer = async (conversationId: string) =>
  (await (await call(ctx.app, `/api/conversations/${conversationId}`)).json()).messages.at(-1)

test('a client resuming on another instance gets the missed tokens and an error event; the answer is failed with exactly the streamed text', async () => {
  const { conversationId, messageId, first } = await answerOnDyingInstance()
  const rest = await readSse(
    await call(ctx.app, `/api/conversations/${conversationId}/messages/${messageId}/stream`, {
      headers: { 'last-event-id': String(first.at(-1)!.id) },
    }),
  )
  const end = rest.at(-1)!
  expect(end.event).toBe('error')
  expect(end.data).toMatchObject({ code: 'generation_interrupted', messageId, conversationId })
  const all = [...first, ...rest]
  expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1))
  const streamed = tokenText(all)
  expect(streamed.length).toBeGreaterThan(0)
  expect(end.data.partialContent).toBe(streamed)
  expect(await storedAnswer(conversationId)).toMatchObject({ status: 'failed', content: streamed })
  expect(await reservationOf(messageId)).toBe('settled')
  // The lease is claimed for good: a second settle does nothing.
  expect(await settleAbandonedStreams(ctx.db.sql, STREAM_OWNERS, ctx.logger)).toBe(0)
}, 120_000)

test('an answer nobody follows is settled by maintenance once its lease ran out', async () => {
  const { conversationId, messageId, first } = await answerOnDyingInstance()
  let settled = 0
  await until(
    'maintenance to settle the stream',
    async () => (settled += await settleAbandonedStreams(ctx.db.sql, STREAM_OWNERS, ctx.logger)) > 0,
  )
  expect(settled).toBe(1)
  // Replayed from the start, the stream is what the owner stored (at least what its client saw) and ends in the error.
  const replay = await readSse(await call(ctx.app, `/api/conversations/${conversationId}/messages/${messageId}/stream`))
  expect(replay.at(-1)!.event).toBe('error')
  const streamed = tokenText(replay)
  expect(streamed.startsWith(tokenText(first))).toBe(true)
  expect(replay.at(-1)!.data.partialContent).toBe(streamed)
  expect(await storedAnswer(conversationId)).toMatchObject({ status: 'failed', content: streamed })
  expect(await reservationOf(messageId)).toBe('settled')
})

test('an answer interrupted before its first token gives its message back', async () => {
  const doomed = await createSecondInstance(ctx, env(), { leaseSeconds: LEASE_SECONDS })
  emulator.setScript({ text: 'Never seen.', ttftMs: 120_000 })
  const conversationId = (await (await call(doomed.app, '/api/conversations', { method: 'POST', json: { collectionId } })).json())
    .id as string
  const before = emulator.requests.length
  const abort = new AbortController()
  void call(doomed.app, `/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    json: { content: 'Anything on eviction?' },
    signal: abort.signal,
  }).catch(() => {})
  await emulator.waitForRequest(before, { timeoutMs: 30_000 })
  const messageId = (await storedAnswer(conversationId)).id as string
  expect(await reservationOf(messageId)).toBe('held')
  await until('the owner to hold its lease', leaseTaken(messageId))
  abort.abort()
  await doomed.sql.end({ timeout: 0 })
  void doomed.close().catch(() => {})
  await until('maintenance to settle the stream', async () => (await settleAbandonedStreams(ctx.db.sql, STREAM_OWNERS, ctx.logger)) > 0)
  expect(await storedAnswer(conversationId)).toMatchObject({ status: 'failed', content: '' })
  expect(await reservationOf(messageId)).toBe('refunded')
}, 120_000)

test('a living owner slower than the lease is never settled: its renewals keep it, and the follower gets the whole answer', async () => {
  const living = await createSecondInstance(ctx, env(), { leaseSeconds: LEASE_SECONDS })
  try {
    // 8 s before the first token: several leases long, and longer than the follower's quiet check.
    emulator.setScript({ text: 'A slow but complete answer [1].', ttftMs: 8000, tokensPerSecond: 50 })
    const conversationId = (await (await call(living.app, '/api/conversations', { method: 'POST', json: { collectionId } })).json())
      .id as string
    const before = emulator.requests.length
    const asked = call(living.app, `/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      json: { content: 'Anything on caching?' },
    }).then((r) => readSse(r))
    await emulator.waitForRequest(before, { timeoutMs: 30_000 })
    const messageId = (await storedAnswer(conversationId)).id as string
    const followed = await readSse(await call(ctx.app, `/api/conversations/${conversationId}/messages/${messageId}/stream`))
    expect(followed.at(-1)!.event).toBe('done')
    expect(tokenText(followed)).toBe('A slow but complete answer [1].')
    expect(tokenText(await asked)).toBe('A slow but complete answer [1].')
    expect(await storedAnswer(conversationId)).toMatchObject({ status: 'complete', content: 'A slow but complete answer [1].' })
  } finally {
    await living.close()
  }
}, 120_000)

test('an owner that stalled past its lease and was settled elsewhere tells its own client the stored end, never `done`', async () => {
  const stalled = await createSecondInstance(ctx, env())
  try {
    emulator.setScript({ text: Array.from({ length: 200 }, (_, i) => `s${i}`).join(' '), tokensPerSecond: 40 })
    const conversationId = (await (await call(stalled.app, '/api/conversations', { method: 'POST', json: { collectionId } })).json())
      .id as string
    const before = emulator.requests.length
    const followed = call(stalled.app, `/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      json: { content: 'Tell me all about caching' },
    }).then((r) => readSse(r))
    await emulator.waitForRequest(before, { timeoutMs: 30_000 })
    const messageId = (await storedAnswer(conversationId)).id as string
    await until('the owner to hold its lease and store tokens', async () => {
      const [row] = await ctx.db.sql<{ n: number }[]>`select count(*)::int as n from stream_events where stream_id = ${messageId}`
      return row!.n >= 3 && (await leaseTaken(messageId)())
    })
    // As if the owner had not renewed its lease in time: another instance settles the stream.
    await ctx.db.sql`update generation_leases set lease_until = now() - interval '1 second' where stream_id = ${messageId}`
    expect(await settleAbandonedStream(ctx.db.sql, messageId, STREAM_OWNERS)).toBe(true)
    const events = await followed
    const end = events.at(-1)!
    expect(events.some((e) => e.event === 'done')).toBe(false)
    expect(end.event).toBe('error')
    expect(end.data).toMatchObject({ code: 'generation_interrupted', messageId })
    const stored = await storedAnswer(conversationId)
    expect(stored).toMatchObject({ status: 'failed' })
    expect(end.data.partialContent).toBe(stored.content)
    // Others following the stream get the same end.
    const replay = await readSse(await call(ctx.app, `/api/conversations/${conversationId}/messages/${messageId}/stream`))
    expect(replay.at(-1)).toMatchObject({ event: 'error', data: { partialContent: stored.content } })
  } finally {
    await stalled.close()
  }
}, 120_000)
