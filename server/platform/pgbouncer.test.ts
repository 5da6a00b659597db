// DATABASE_POOLER_URL against a real PgBouncer (Debian's) in transaction mode:
// an api instance whose queries share two server connections, beside one on
// direct connections. Streams, resume and stop cross between them, which needs
// the pooled instance's NOTIFYs (sent inside pooled transactions) to reach the
// direct LISTEN sessions and the other way round.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startAnthropicEmulator } from '../../testing/anthropic/emulator.ts'
import { makeUsers, type TestUser } from '../../testing/factories.ts'
import { startPgBouncer, type PgBouncer } from '../../testing/pgbouncer.ts'
import { cues, seedVideo } from '../../testing/seedVideo.ts'
import { readSse, tokenText } from '../../testing/sseClient.ts'
import { createSecondInstance, createTestApp, type TestApp } from '../../testing/testApp.ts'

let emulator: Awaited<ReturnType<typeof startAnthropicEmulator>>
let ctx: TestApp
let bouncer: PgBouncer
let pooled: Awaited<ReturnType<typeof createSecondInstance>>
let owner: TestUser
let collectionId: string

beforeAll(async () => {
  emulator = await startAnthropicEmulator()
  const env = { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: emulator.url }
  ctx = await createTestApp(env)
  bouncer = await startPgBouncer(ctx.db.url, { poolSize: 2, maxClients: 100 })
  pooled = await createSecondInstance(ctx, env, { poolerUrl: bouncer.url })
  ;({ owner } = await makeUsers(ctx.db.sql, ctx.config))
  collectionId = (await (await ctx.call(owner, '/api/collections', { method: 'POST', json: { name: 'Pooled' } })).json()).id
  await seedVideo(ctx, {
    collectionId,
    userId: owner.id,
    title: 'Caching talk',
    segments: cues(
      [
        'DiskCache stores cached values in SQLite files on disk, so the cache survives restarts.',
        'Eviction policies include least recently stored and least frequently used.',
      ],
      60_000,
    ),
  })
})
afterAll(async () => {
  await pooled.close()
  await bouncer.stop()
  await ctx.close()
  await emulator.stop()
})

const onPooled = (path: string, init: RequestInit & { json?: unknown } = {}) => ctx.call(owner, path, init, pooled.app)
const onDirect = (path: string, init: RequestInit & { json?: unknown } = {}) => ctx.call(owner, path, init)

async function newConversation() {
  return (await (await onPooled('/api/conversations', { method: 'POST', json: { collectionId } })).json()).id as string
}

describe('behind a real PgBouncer in transaction mode', () => {
  test('40 requests at once, with transactions and no prepared statements, share its 2 server connections', async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => onPooled('/api/collections', { method: 'POST', json: { name: `Pooled ${i}` } })),
    )
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201))
    const reads = await Promise.all(Array.from({ length: 20 }, () => onPooled('/api/collections')))
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200))
    const names = ((await reads[0]!.json()) as { name: string }[]).map((c) => c.name)
    for (let i = 0; i < 20; i++) expect(names).toContain(`Pooled ${i}`)
    // They went through PgBouncer (its own count), not around it.
    expect(await bouncer.transactions(new URL(ctx.db.url).pathname.slice(1))).toBeGreaterThanOrEqual(40)
  })

  test('an answer asked through the pooler streams; a client that drops resumes on the direct instance and gets exactly the rest', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ')
    emulator.setScript({ text: `${words} [1]`, tokensPerSecond: 200 })
    const conversationId = await newConversation()
    const abort = new AbortController()
    const asked = await onPooled(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      json: { content: 'Tell me everything about caching' },
      signal: abort.signal,
    })
    expect(asked.status).toBe(200)
    const first = await readSse(asked, { stopAfter: (_e, all) => all.filter((x) => x.event === 'token').length >= 3 })
    abort.abort()
    const lastId = first.at(-1)!.id!
    const messageId = first[0]!.data.messageId as string
    const rest = await readSse(
      await onDirect(`/api/conversations/${conversationId}/messages/${messageId}/stream`, {
        headers: { 'last-event-id': String(lastId) },
      }),
    )
    expect(rest[0]!.id).toBe(lastId + 1)
    const streamed = tokenText([...first, ...rest])
    expect(streamed).toBe(`${words} [1]`)
    const stored = (await (await onPooled(`/api/conversations/${conversationId}`)).json()).messages.at(-1)
    expect(stored).toMatchObject({ status: 'complete', content: streamed })
  })

  test('an answer streaming on the direct instance is watched and stopped through the pooled one', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ')
    emulator.setScript({ text: words, tokensPerSecond: 40 })
    const conversationId = await newConversation()
    const started = emulator.requests.length
    const events: { event: string; data: any }[] = []
    const streaming = onDirect(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      json: { content: 'A very long answer please' },
    }).then((r) => readSse(r, { onEvent: (e) => events.push(e) }))
    for (let i = 0; i < 1500 && events.filter((e) => e.event === 'token').length < 3; i++) await Bun.sleep(20)
    const messageId = events[0]!.data.messageId as string
    const watcher: { event: string; data: any }[] = []
    const watching = onPooled(`/api/conversations/${conversationId}/messages/${messageId}/stream`).then((r) =>
      readSse(r, { onEvent: (e) => watcher.push(e) }),
    )
    for (let i = 0; i < 1500 && watcher.filter((e) => e.event === 'token').length < 5; i++) await Bun.sleep(20)
    const stop = await onPooled(`/api/conversations/${conversationId}/messages/${messageId}/stop`, { method: 'POST' })
    expect(stop.status).toBe(202)
    expect((await emulator.waitForAbort(started, { timeoutMs: 30_000 })).aborted).toBe(true)
    const [asker, watched] = await Promise.all([streaming, watching])
    expect(asker.at(-1)!.data.status).toBe('stopped')
    expect(watched.at(-1)!.data.status).toBe('stopped')
    expect(tokenText(watched)).toBe(tokenText(asker))
    const stored = (await (await onPooled(`/api/conversations/${conversationId}`)).json()).messages.at(-1)
    expect(stored.status).toBe('stopped')
    expect(stored.content).toBe(tokenText(asker))
  })
})
