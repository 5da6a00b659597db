// Quotas against real Postgres: exact under concurrency, reservations closed
// exactly once, totals released on delete, ledger and counters in agreement.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { loadCatalogue, UNLIMITED } from './catalogue.ts'
import type { BillingSettings } from './planState.ts'
import { closeHeld, closeStaleHeldMessages, QuotaExceededError, refund, releaseTotals, reserve, settle } from './quotas.ts'
import { grantQuota, linkCustomer } from './sql.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp()
})
afterAll(() => ctx.close())

const catalogue = loadCatalogue()
const free: BillingSettings = {
  enabled: true,
  catalogue,
  defaultPlan: catalogue.plans.find((p) => p.id === 'free')!,
  graceDays: 7,
  publicUrl: 'http://localhost',
}

async function ledgerAgrees(userId: string) {
  const rows = await ctx.db.sql<{ dimension: string; counter: string; ledger: string }[]>`
    select c.dimension, c.used as counter, coalesce((select sum(amount) from usage_ledger l where l.user_id = c.user_id and l.dimension = c.dimension and l.period_start = c.period_start), 0) as ledger
    from usage_counters c where c.user_id = ${userId}`
  for (const row of rows) expect(`${row.dimension}: ${row.counter}`).toBe(`${row.dimension}: ${row.ledger}`)
  return rows
}

describe('reserve', () => {
  test('50 concurrent requests for the last 3 messages: exactly 3 pass, 47 are refused, nothing overshoots', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    for (let i = 0; i < 47; i++) await reserve(ctx.db.sql, free, { userId: user.id, dimension: 'messages', amount: 1, reason: 'setup' })
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        reserve(ctx.db.sql, free, { userId: user.id, dimension: 'messages', amount: 1, reference: `m${i}`, reason: 'race' }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
    expect(refused).toHaveLength(47)
    expect(refused.every((e) => e instanceof QuotaExceededError)).toBe(true)
    expect((refused[0] as QuotaExceededError).extras).toMatchObject({
      dimension: 'messages',
      limit: 50,
      used: 50,
      plan: 'Free',
      upgradeUrl: 'http://localhost/pricing',
    })
    const rows = await ledgerAgrees(user.id)
    expect(rows.find((r) => r.dimension === 'messages')!.counter).toBe('50')
  })

  test('totals are not per period; a grant lifts the limit for its period only', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    await reserve(ctx.db.sql, free, { userId: user.id, dimension: 'videos', amount: 2, reason: 'two videos' })
    await expect(reserve(ctx.db.sql, free, { userId: user.id, dimension: 'videos', amount: 1, reason: 'third' })).rejects.toBeInstanceOf(
      QuotaExceededError,
    )
    await grantQuota(ctx.db.sql, user.id, 'videos', null, 1)
    const third = await reserve(ctx.db.sql, free, { userId: user.id, dimension: 'videos', amount: 1, reason: 'third' })
    expect(third.usage).toMatchObject({ used: 3, limit: 2, granted: 1, resetsAt: null })
  })

  test('unlimited plans still count, and never refuse', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    const settings = { ...free, enabled: false, defaultPlan: UNLIMITED }
    const r = await reserve(ctx.db.sql, settings, { userId: user.id, dimension: 'storage_bytes', amount: 5 * 1024 ** 4, reason: 'huge' })
    expect(r.usage).toMatchObject({ used: 5 * 1024 ** 4, limit: null })
  })
})

describe('settle, refund, release', () => {
  test('a held reservation is refunded once, however often asked', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    const r = await reserve(ctx.db.sql, free, {
      userId: user.id,
      dimension: 'messages',
      amount: 1,
      reference: 'answer-1',
      reason: 'question',
      hold: true,
    })
    const outcomes = await Promise.all([
      refund(ctx.db.sql, r.id, 'failed'),
      refund(ctx.db.sql, r.id, 'failed'),
      settle(ctx.db.sql, r.id, null, 'done'),
    ])
    expect(outcomes.filter(Boolean)).toHaveLength(1)
    await ledgerAgrees(user.id)
  })

  test('minutes settle at the exact figure, charged even past the limit', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    await reserve(ctx.db.sql, free, {
      userId: user.id,
      dimension: 'minutes',
      amount: 40,
      reference: 'video-1',
      reason: 'estimate',
      hold: true,
    })
    await closeHeld(ctx.db.sql, 'video-1', { settle: 70 }, 'transcribed')
    await closeHeld(ctx.db.sql, 'video-1', { settle: 70 }, 'transcribed again')
    const [row] = await ledgerAgrees(user.id)
    expect(row!.counter).toBe('70')
    await expect(reserve(ctx.db.sql, free, { userId: user.id, dimension: 'minutes', amount: 1, reason: 'next' })).rejects.toBeInstanceOf(
      QuotaExceededError,
    )
  })

  test('maintenance closes message reservations nothing else will: never tied to a stream after an hour (refunded), tied but open after a day (settled)', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    const hold = (reference?: string) =>
      reserve(ctx.db.sql, free, { userId: user.id, dimension: 'messages', amount: 1, reference, reason: 'question', hold: true })
    const orphan = await hold()
    const recentOrphan = await hold()
    const stuck = await hold('stream-1')
    const recent = await hold('stream-2')
    const age = (id: string, interval: string) =>
      ctx.db.sql`update usage_reservations set created_at = now() - ${interval}::interval where id = ${id}`
    await age(orphan.id, '2 hours')
    await age(stuck.id, '25 hours')
    await age(recent.id, '23 hours')
    expect(await closeStaleHeldMessages(ctx.db.sql)).toBe(2)
    expect(await closeStaleHeldMessages(ctx.db.sql)).toBe(0)
    const statuses = await ctx.db.sql<
      { id: string; status: string }[]
    >`select id, status from usage_reservations where user_id = ${user.id}`
    const status = Object.fromEntries(statuses.map((r) => [r.id, r.status]))
    expect([status[orphan.id], status[recentOrphan.id], status[stuck.id], status[recent.id]]).toEqual([
      'refunded',
      'held',
      'settled',
      'held',
    ])
    const [row] = await ledgerAgrees(user.id)
    expect(row!.counter).toBe('3')
  })

  test('deleting gives back the video slot and its bytes, once', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    await reserve(ctx.db.sql, free, { userId: user.id, dimension: 'videos', amount: 1, reference: 'video-9', reason: 'upload' })
    await reserve(ctx.db.sql, free, { userId: user.id, dimension: 'storage_bytes', amount: 1000, reference: 'video-9', reason: 'upload' })
    await releaseTotals(ctx.db.sql, 'video-9', 'deleted')
    await releaseTotals(ctx.db.sql, 'video-9', 'deleted')
    const rows = await ledgerAgrees(user.id)
    expect(rows.map((r) => Number(r.counter))).toEqual([0, 0])
  })
})

describe('linking a Stripe customer', () => {
  test('first checkouts at once (a double click) link one customer, none fails', async () => {
    // Each round is a fresh user, so every round races the first insert of the account row.
    for (let round = 0; round < 10; round++) {
      const user = await makeUser(ctx.db.sql, ctx.config)
      const linked = await Promise.all(Array.from({ length: 4 }, () => linkCustomer(ctx.db.sql, user.id, `cus_double_${user.id}`)))
      expect(new Set(linked)).toEqual(new Set([`cus_double_${user.id}`]))
    }
  })

  test('a second customer never replaces the first', async () => {
    const user = await makeUser(ctx.db.sql, ctx.config)
    expect(await linkCustomer(ctx.db.sql, user.id, `cus_first_${user.id}`)).toBe(`cus_first_${user.id}`)
    expect(await linkCustomer(ctx.db.sql, user.id, `cus_second_${user.id}`)).toBe(`cus_first_${user.id}`)
  })
})
