// Uploads against the owner's video and storage limits, through the real
// routes: the last slot taken exactly once under concurrency, the storage cap,
// slots given back on delete, and a downgrade that leaves data over the limits.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { billingFor } from './billing.ts'
import { reserve } from './quotas.ts'
import { setManualPlan } from './sql.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp({ DEFAULT_PLAN: 'free' })
})
afterAll(() => ctx.close())

const VTT = (n: number) => `WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nTranscript number ${n} about caching.\n`

async function collectionOf(user: TestUser): Promise<string> {
  const res = await ctx.app.handle(request('/api/collections', { method: 'POST', headers: user.bearer, json: { name: 'Library' } }))
  return ((await res.json()) as { id: string }).id
}

function upload(user: TestUser, collectionId: string, body: string, name = 'talk.vtt') {
  const form = new FormData()
  form.append('file', new File([body], name, { type: 'text/vtt' }))
  return ctx.app.handle(
    request(`/api/collections/${collectionId}/videos/transcripts`, { method: 'POST', headers: user.bearer, body: form }),
  )
}

async function videoCount(collectionId: string) {
  return (await ctx.db.sql<{ n: number }[]>`select count(*)::int as n from videos where collection_id = ${collectionId}`)[0]!.n
}

async function counters(userId: string) {
  const rows = await ctx.db.sql<{ dimension: string; used: string; ledger: string }[]>`
    select c.dimension, c.used, (select coalesce(sum(amount), 0) from usage_ledger l where l.user_id = c.user_id and l.dimension = c.dimension and l.period_start = c.period_start) as ledger
    from usage_counters c where c.user_id = ${userId} and c.period_start = '-infinity' order by c.dimension`
  for (const r of rows) expect(r.used).toBe(r.ledger)
  return Object.fromEntries(rows.map((r) => [r.dimension, Number(r.used)]))
}

describe('the Free plan (2 videos, 1 GB)', () => {
  test('ten concurrent uploads for the last video slot: one is accepted, nine get quota_exceeded, nothing else is written', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(user)
    expect((await upload(user, collectionId, VTT(0))).status).toBe(202)
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => upload(user, collectionId, VTT(i + 1))))
    expect(results.map((r) => r.status).sort()).toEqual([202, ...Array(9).fill(402)])
    const problem = (await results.find((r) => r.status === 402)!.json()) as Record<string, unknown>
    expect(problem).toMatchObject({ code: 'quota_exceeded', dimension: 'videos', limit: 2, used: 2, resetsAt: null })
    expect(await videoCount(collectionId)).toBe(2)
    expect((await counters(user.id)).videos).toBe(2)
  })

  test('storage: a file that would pass the limit is refused; a smaller one fits', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(user)
    await reserve(ctx.db.sql, billingFor(ctx.config), {
      userId: user.id,
      dimension: 'storage_bytes',
      amount: 1024 ** 3 - 100,
      reason: 'earlier uploads',
    })
    const big = await upload(user, collectionId, VTT(1) + 'x'.repeat(200))
    expect(big.status).toBe(402)
    expect((await big.json()) as object).toMatchObject({ dimension: 'storage_bytes', limit: 1024 ** 3 })
    expect(await videoCount(collectionId)).toBe(0)
    const small = `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n`
    expect((await upload(user, collectionId, small)).status).toBe(202)
    expect((await counters(user.id)).storage_bytes).toBe(1024 ** 3 - 100 + small.length)
  })

  test('deleting a video or a collection gives its slot and bytes back', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    const collectionId = await collectionOf(user)
    const first = ((await (await upload(user, collectionId, VTT(1))).json()) as { id: string }).id
    await upload(user, collectionId, VTT(2))
    expect((await ctx.app.handle(request(`/api/videos/${first}`, { method: 'DELETE', headers: user.bearer }))).status).toBe(204)
    expect(await counters(user.id)).toMatchObject({ videos: 1 })
    expect((await ctx.app.handle(request(`/api/collections/${collectionId}`, { method: 'DELETE', headers: user.bearer }))).status).toBe(204)
    expect(await counters(user.id)).toEqual({ storage_bytes: 0, videos: 0 })
  })
})

test('a downgrade leaves data over the new limits: nothing is deleted, reads work, adds are refused saying why', async () => {
  const user = await makeUser(ctx.db.sql, ctx.config)
  await setManualPlan(ctx.db.sql, user.id, 'starter')
  const collectionId = await collectionOf(user)
  for (let i = 0; i < 4; i++) expect((await upload(user, collectionId, VTT(i))).status).toBe(202)
  await setManualPlan(ctx.db.sql, user.id, null)
  const list = await ctx.app.handle(request(`/api/collections/${collectionId}/videos`, { headers: user.bearer }))
  expect(list.status).toBe(200)
  expect(await videoCount(collectionId)).toBe(4)
  const refused = await upload(user, collectionId, VTT(9))
  expect(refused.status).toBe(402)
  const problem = (await refused.json()) as { detail: string; used: number; limit: number }
  expect([problem.used, problem.limit]).toEqual([4, 2])
  expect(problem.detail).toContain('The Free plan allows 2 videos; 4 are used.')
  const summary = (await (await ctx.app.handle(request('/api/billing', { headers: user.bearer }))).json()) as {
    banner: { kind: string; dimensions: string[] }
  }
  expect(summary.banner).toEqual({ kind: 'over_limit', dimensions: ['videos'] })
})
