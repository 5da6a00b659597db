// Operator actions: a plan set by hand, extra quota for the period, the
// past-due list, and the audit trail each change leaves.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser } from '../../testing/factories.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { AdminError, grant, listPastDue, setPlan, showUser } from './admin.ts'
import { billingFor } from './billing.ts'
import { QuotaExceededError, reserve } from './quotas.ts'

let ctx: TestApp
beforeAll(async () => {
  ctx = await createTestApp({ DEFAULT_PLAN: 'free' })
})
afterAll(() => ctx.close())

test('set a plan by hand, grant extra messages, and every change is audited', async () => {
  const billing = billingFor(ctx.config)
  const user = await makeUser(ctx.db.sql, ctx.config)
  await setPlan(ctx.db.sql, billing, user.id, 'enterprise', 'test-operator')
  expect((await showUser(ctx.db.sql, billing, user.id)).plan.id).toBe('enterprise')
  await setPlan(ctx.db.sql, billing, user.id, null, 'test-operator')
  expect((await showUser(ctx.db.sql, billing, user.id)).plan.id).toBe('free')
  await expect(setPlan(ctx.db.sql, billing, user.id, 'platinum', 'test-operator')).rejects.toBeInstanceOf(AdminError)

  for (let i = 0; i < 50; i++) await reserve(ctx.db.sql, billing, { userId: user.id, dimension: 'messages', amount: 1, reason: 'chat' })
  await expect(reserve(ctx.db.sql, billing, { userId: user.id, dimension: 'messages', amount: 1, reason: 'chat' })).rejects.toBeInstanceOf(
    QuotaExceededError,
  )
  await grant(ctx.db.sql, billing, user.id, 'messages', 10, 'test-operator')
  await reserve(ctx.db.sql, billing, { userId: user.id, dimension: 'messages', amount: 1, reason: 'chat' })
  const messages = (await showUser(ctx.db.sql, billing, user.id)).usage.find((u) => u.dimension === 'messages')!
  expect([messages.used, messages.limit, messages.granted]).toEqual([51, 60, 10])
  await expect(grant(ctx.db.sql, billing, user.id, 'apples', 1, 'x')).rejects.toBeInstanceOf(AdminError)

  const audit = await ctx.db.sql<
    { action: string; actor: string }[]
  >`select action, actor from billing_audit where user_id = ${user.id} order by id`
  expect(audit.map((a) => a.action)).toEqual(['set_plan', 'set_plan', 'grant'])
  expect(audit.every((a) => a.actor === 'test-operator')).toBe(true)
})

test('past-due accounts are listed oldest first', async () => {
  const [a, b] = [await makeUser(ctx.db.sql, ctx.config), await makeUser(ctx.db.sql, ctx.config)]
  await ctx.db.sql`insert into billing_accounts (user_id, plan_id, plan_source, subscription_status, past_due_since) values
    (${a.id}, 'pro', 'stripe', 'past_due', now() - interval '2 days'), (${b.id}, 'starter', 'stripe', 'past_due', now() - interval '5 days')`
  const rows = await listPastDue(ctx.db.sql)
  expect(rows.map((r) => r.email)).toEqual([b.email, a.email])
})
