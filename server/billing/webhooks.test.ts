// Webhooks end to end: the emulator signs and delivers, the route verifies the
// raw bytes and stores by id, the worker re-reads Stripe and applies.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { eventsApplied, startBillingStack, WEBHOOK_SECRET, type BillingStack } from '../../testing/billingStack.ts'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { request } from '../../testing/testApp.ts'

let stack: BillingStack
beforeAll(async () => {
  stack = await startBillingStack()
})
afterAll(() => stack.close())
beforeEach(() => stack.emulator.setDeliveryMode({}))

async function summary(user: TestUser) {
  return (await (await stack.app.handle(request('/api/billing', { headers: user.bearer }))).json()) as {
    plan: { id: string }
    status: string | null
    banner: { kind: string } | null
    usage: { dimension: string; limit: number | null }[]
  }
}

async function subscribe(user: TestUser, plan = 'starter') {
  const res = await stack.app.handle(
    request('/api/billing/checkout', { method: 'POST', headers: user.bearer, json: { plan, interval: 'month' } }),
  )
  expect(res.status).toBe(200)
  const { url } = (await res.json()) as { url: string }
  expect((await fetch(url, { redirect: 'manual' })).status).toBe(303)
  await eventsApplied(stack)
  const customer = (
    await stack.db.sql<{ id: string }[]>`select stripe_customer_id as id from billing_accounts where user_id = ${user.id}`
  )[0]!.id
  return { url, customer }
}

async function post(body: string, signature: string) {
  return fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body })
}

const storedEvents = async () => (await stack.db.sql<{ n: number }[]>`select count(*)::int as n from stripe_events`)[0]!.n

describe('the webhook route', () => {
  const event = JSON.stringify(
    {
      id: 'evt_handmade',
      object: 'event',
      type: 'customer.updated',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cus_x', object: 'customer' } },
    },
    null,
    2,
  )

  test('a bad signature, a stale timestamp or a re-serialised body is a 400 and stores nothing', async () => {
    const before = await storedEvents()
    const wrong = await stack.stripe.webhooks.generateTestHeaderStringAsync({ payload: event, secret: 'whsec_someone_else' })
    const stale = await stack.stripe.webhooks.generateTestHeaderStringAsync({
      payload: event,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 301,
    })
    const good = await stack.stripe.webhooks.generateTestHeaderStringAsync({ payload: event, secret: WEBHOOK_SECRET })
    for (const [body, signature] of [
      [event, wrong],
      [event, stale],
      [JSON.stringify(JSON.parse(event)), good],
      [event, ''],
    ] as const) {
      const res = await post(body, signature)
      expect(res.status).toBe(400)
      expect((await res.json()) as object).toMatchObject({ code: expect.stringMatching(/^webhook_signature_(invalid|missing)$/) })
    }
    expect(await storedEvents()).toBe(before)
    expect((await post(event, good)).status).toBe(200)
    expect(await storedEvents()).toBe(before + 1)
  })

  test('the same event twice is stored and applied once', async () => {
    const user = await makeUser(stack.db.sql, stack.config)
    stack.emulator.setDeliveryMode({ duplicate: true })
    await subscribe(user)
    const rows = await stack.db.sql<
      { id: string }[]
    >`select id from stripe_events where type = 'checkout.session.completed' and payload->'data'->'object'->>'client_reference_id' = ${user.id}`
    expect(rows).toHaveLength(1)
    const jobs = await stack.db.sql<
      { n: number }[]
    >`select count(*)::int as n from pgboss.job where name = 'stripe-event' and data->>'eventId' = ${rows[0]!.id}`
    expect(jobs[0]!.n).toBe(1)
    expect((await summary(user)).plan.id).toBe('starter')
  })
})

describe('applying events', () => {
  test('checkout: the plan changes once the webhook is applied, and every Stripe write had our idempotency key', async () => {
    const user = await makeUser(stack.db.sql, stack.config)
    expect((await summary(user)).plan.id).toBe('free')
    stack.emulator.requests.length = 0
    await subscribe(user)
    const s = await summary(user)
    expect([s.plan.id, s.status]).toEqual(['starter', 'active'])
    expect(s.usage.find((u) => u.dimension === 'messages')!.limit).toBe(500)
    const writes = stack.emulator.requests.filter((r) => r.method !== 'GET')
    expect(writes.length).toBeGreaterThan(0)
    expect(writes.every((r) => r.idempotencyKey?.startsWith('kt-'))).toBe(true)
  })

  test('a retried checkout returns the same session', async () => {
    const user = await makeUser(stack.db.sql, stack.config)
    const ask = () =>
      stack.app
        .handle(request('/api/billing/checkout', { method: 'POST', headers: user.bearer, json: { plan: 'pro' } }))
        .then((r) => r.json() as Promise<{ sessionId: string }>)
    const [a, b] = await Promise.all([ask(), ask()])
    expect(a.sessionId).toBe(b.sessionId)
    expect(stack.emulator.all('customer').filter((c) => (c.metadata as { userId?: string }).userId === user.id)).toHaveLength(1)
  })

  test('updated before created, and an old update after a newer one: the final plan is right', async () => {
    const user = await makeUser(stack.db.sql, stack.config)
    const { customer } = await subscribe(user, 'starter')
    stack.emulator.setDeliveryMode({ hold: true })
    const [sub] = (await stack.stripe.subscriptions.list({ customer })).data
    const [pro] = (await stack.stripe.prices.list({ lookup_keys: ['kt_pro_monthly'] })).data
    await stack.stripe.subscriptions.update(sub!.id, { items: [{ id: sub!.items.data[0]!.id, price: pro!.id }] })
    await stack.stripe.subscriptions.update(sub!.id, { metadata: { note: 'later' } })
    const held = stack.emulator.heldEvents()
    await stack.emulator.releaseEvents(held.map((e) => e.id).reverse())
    await eventsApplied(stack)
    expect((await summary(user)).plan.id).toBe('pro')
  })

  test('a failed payment: past_due keeps the plan with a banner, then the grace period ends on Free', async () => {
    const user = await makeUser(stack.db.sql, stack.config)
    const { customer } = await subscribe(user, 'starter')
    const [sub] = (await stack.stripe.subscriptions.list({ customer })).data
    stack.emulator.setPaymentsDecline(customer, true)
    stack.emulator.advanceTime(sub!.items.data[0]!.current_period_end - Math.floor(Date.now() / 1000) + 60)
    await eventsApplied(stack)
    const pastDue = await summary(user)
    expect([pastDue.plan.id, pastDue.status, pastDue.banner?.kind]).toEqual(['starter', 'past_due', 'past_due'])
    await stack.db.sql`update billing_accounts set past_due_since = now() - interval '8 days' where user_id = ${user.id}`
    const lapsed = await summary(user)
    expect([lapsed.plan.id, lapsed.banner?.kind]).toEqual(['free', 'lapsed'])
  })

  test('the nightly reconciliation fixes drift it finds in Stripe', async () => {
    const user = await makeUser(stack.db.sql, stack.config)
    await subscribe(user, 'starter')
    await stack.db.sql`update billing_accounts set plan_id = 'pro' where user_id = ${user.id}`
    const { reconcileAccounts } = await import('./applyEvent.ts')
    const { billingFor } = await import('./billing.ts')
    const result = await reconcileAccounts(stack.db.sql, billingFor(stack.config), stack.logger)
    expect(result.drifted).toBeGreaterThanOrEqual(1)
    expect((await summary(user)).plan.id).toBe('starter')
  })
})
