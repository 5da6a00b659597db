// A self-hoster without STRIPE_SECRET_KEY: no Stripe call of any kind, every
// account on DEFAULT_PLAN (unlimited by default), no quota refusals.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser } from '../../testing/factories.ts'
import { startStripeEmulator, type StripeEmulator } from '../../testing/stripe/emulator.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { billingFor } from './billing.ts'
import { reserve } from './quotas.ts'

let ctx: TestApp
let emulator: StripeEmulator
beforeAll(async () => {
  emulator = await startStripeEmulator()
  // The API URL is set, the key is not: nothing may reach the emulator.
  ctx = await createTestApp({ STRIPE_API_URL: emulator.url, STRIPE_WEBHOOK_SECRET: 'whsec_unused_unused' })
})
afterAll(async () => {
  await ctx.close()
  await emulator.stop()
})

test('billing off: unlimited plan, no Stripe calls, checkout and webhooks say billing is not configured', async () => {
  const user = await makeUser(ctx.db.sql, ctx.config)
  const plans = (await (await ctx.app.handle(request('/api/billing/plans'))).json()) as { billingEnabled: boolean; defaultPlan: string }
  expect(plans).toMatchObject({ billingEnabled: false, defaultPlan: 'unlimited' })
  const summary = (await (await ctx.app.handle(request('/api/billing', { headers: user.bearer }))).json()) as {
    plan: { id: string }
    canManageBilling: boolean
    usage: { limit: number | null }[]
  }
  expect([summary.plan.id, summary.canManageBilling, summary.usage.every((u) => u.limit === null)]).toEqual(['unlimited', false, true])
  for (const path of ['/api/billing/checkout', '/api/billing/portal']) {
    const res = await ctx.app.handle(request(path, { method: 'POST', headers: user.bearer, json: { plan: 'starter' } }))
    expect([path, res.status]).toEqual([path, path.endsWith('portal') ? 404 : 503])
  }
  expect((await ctx.app.handle(request('/api/billing/invoices', { headers: user.bearer }))).status).toBe(200)
  const hook = await ctx.app.handle(
    request('/api/billing/webhook', { method: 'POST', headers: { 'stripe-signature': 't=1,v1=00' }, json: { id: 'evt_1' } }),
  )
  expect(hook.status).toBe(503)
  const billing = billingFor(ctx.config)
  for (let i = 0; i < 200; i++) await reserve(ctx.db.sql, billing, { userId: user.id, dimension: 'messages', amount: 1, reason: 'chat' })
  expect(emulator.requests).toHaveLength(0)
})
