// Checkout, subscriptions, invoices, the portal and signed webhook delivery,
// with the real SDK creating and verifying (`constructEventAsync`: under Bun the
// SDK's crypto is SubtleCrypto, so only the async helpers work).
import { afterEach, describe, expect, test } from 'bun:test'
import Stripe from 'stripe'
import { emulator, makePlan, rejection, startReceiver, stripeClient, useStripeEmulator } from './emulatorHarness.ts'

useStripeEmulator()
const SECRET = 'whsec_test_emulator_secret'
let stopReceiver = () => {}
afterEach(() => stopReceiver())

async function receiver(status?: (i: number, body: string) => number) {
  const r = startReceiver(status)
  stopReceiver = () => void r.stop()
  emulator.addWebhookEndpoint({ url: r.url, secret: SECRET })
  return r
}

async function checkout(stripe: Stripe, lookupKey = 'kt_starter_monthly') {
  const [price] = (await stripe.prices.list({ lookup_keys: [lookupKey] })).data
  const customer = await stripe.customers.create({ email: 'buyer@example.com' })
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    line_items: [{ price: price!.id, quantity: 1 }],
    success_url: 'http://app.test/account?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.test/pricing',
    client_reference_id: 'user-1',
    subscription_data: { metadata: { userId: 'user-1' } },
  })
  return { customer, session, price: price! }
}

describe('checkout', () => {
  test('opening the session URL pays, creates the subscription and returns to success_url', async () => {
    const stripe = stripeClient()
    await makePlan(stripe, 'kt_starter', 4900)
    const { session, customer } = await checkout(stripe)
    expect(session).toMatchObject({ status: 'open', payment_status: 'unpaid', mode: 'subscription' })
    const res = await fetch(session.url!, { redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`http://app.test/account?session=${session.id}`)
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] })
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', customer: customer.id })
    const sub = done.subscription as Stripe.Subscription
    expect(sub).toMatchObject({ status: 'active', metadata: { userId: 'user-1' } })
    const item = sub.items.data[0]!
    expect(item.price.lookup_key).toBe('kt_starter_monthly')
    expect(item.current_period_end).toBeGreaterThan(item.current_period_start + 27 * 86400)
    const invoices = await stripe.invoices.list({ customer: customer.id })
    expect(invoices.data.map((i) => [i.status, i.amount_paid, i.billing_reason])).toEqual([['paid', 4900, 'subscription_create']])
    expect(invoices.data[0]!.parent?.subscription_details?.subscription).toBe(sub.id)
  })

  test('a declining customer stays on the open session and sees the decline', async () => {
    const stripe = stripeClient()
    await makePlan(stripe, 'kt_starter', 4900)
    const { session, customer } = await checkout(stripe)
    emulator.setPaymentsDecline(customer.id, true)
    expect((await fetch(session.url!, { redirect: 'manual' })).status).toBe(402)
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open')
    expect(emulator.all('subscription')).toHaveLength(0)
  })

  test('an inactive or one-time price cannot be sold as a subscription', async () => {
    const stripe = stripeClient()
    const { monthly } = await makePlan(stripe, 'kt_old', 100)
    await stripe.prices.update(monthly.id, { active: false })
    const error = await rejection(
      stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: monthly.id, quantity: 1 }],
        success_url: 'http://app.test/',
      }),
    )
    expect(error).toMatchObject({ statusCode: 400, param: 'line_items[0][price]' })
  })
})

describe('webhooks', () => {
  test('events arrive signed like Stripe; the SDK verifies them and refuses a changed body', async () => {
    const r = await receiver()
    const stripe = stripeClient()
    await makePlan(stripe, 'kt_starter', 4900)
    const { session } = await checkout(stripe)
    emulator.completeCheckout(session.id)
    await emulator.webhooksIdle()
    const types = r.types()
    expect(types).toContain('checkout.session.completed')
    expect(types.indexOf('customer.subscription.created')).toBeLessThan(types.indexOf('invoice.paid'))
    const completed = r.received.find((x) => x.body.includes('"checkout.session.completed"'))!
    const event = await stripe.webhooks.constructEventAsync(completed.body, completed.signature, SECRET)
    expect(event.type).toBe('checkout.session.completed')
    expect((event.data.object as Stripe.Checkout.Session).subscription).toMatch(/^sub_/)
    const reserialised = JSON.stringify(JSON.parse(completed.body))
    expect(await rejection(stripe.webhooks.constructEventAsync(reserialised, completed.signature, SECRET))).toBeInstanceOf(
      Stripe.errors.StripeSignatureVerificationError,
    )
  })

  test('a failing endpoint is retried until it answers 2xx', async () => {
    const r = await receiver((i) => (i < 2 ? 500 : 200))
    const stripe = stripeClient()
    await stripe.customers.create({ email: 'retry@example.com' })
    await emulator.webhooksIdle()
    expect(emulator.deliveries.map((d) => [d.type, d.attempt, d.status])).toEqual([
      ['customer.created', 1, 500],
      ['customer.created', 2, 500],
      ['customer.created', 3, 200],
    ])
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1)
  })

  test('duplicate, reverse and held delivery modes', async () => {
    const r = await receiver()
    const stripe = stripeClient()
    emulator.setDeliveryMode({ duplicate: true })
    await stripe.customers.create({ email: 'twice@example.com' })
    await emulator.webhooksIdle()
    expect(r.types()).toEqual(['customer.created', 'customer.created'])

    emulator.setDeliveryMode({ reverse: true })
    const { monthly } = await makePlan(stripe, 'kt_rev', 100)
    const customer = await stripe.customers.create({ email: 'rev@example.com' })
    await emulator.webhooksIdle()
    r.received.length = 0
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] })
    await emulator.webhooksIdle()
    expect(r.types()).toEqual([
      'invoice.payment_succeeded',
      'invoice.paid',
      'invoice.finalized',
      'invoice.created',
      'customer.subscription.created',
    ])

    r.received.length = 0
    emulator.setDeliveryMode({ hold: true })
    const sub = (await stripe.subscriptions.list({ customer: customer.id })).data[0]!
    await stripe.subscriptions.update(sub.id, { metadata: { a: '1' } })
    await stripe.subscriptions.update(sub.id, { metadata: { a: '2' } })
    const held = emulator.heldEvents()
    expect(held.map((e) => e.type)).toEqual(['customer.subscription.updated', 'customer.subscription.updated'])
    await emulator.releaseEvents([held[1]!.id, held[0]!.id])
    const bodies = r.received.map((x) => JSON.parse(x.body) as Stripe.Event)
    expect(bodies.map((e) => (e.data.object as Stripe.Subscription).metadata.a)).toEqual(['2', '1'])
    expect(bodies[0]!.created).toBeGreaterThanOrEqual(bodies[1]!.created)
  })
})

describe('the subscription lifecycle', () => {
  test('renewals move the item period and bill again', async () => {
    const stripe = stripeClient()
    await makePlan(stripe, 'kt_starter', 4900)
    const { session, customer } = await checkout(stripe)
    emulator.completeCheckout(session.id)
    const sub = (await stripe.subscriptions.list({ customer: customer.id })).data[0]!
    const firstEnd = sub.items.data[0]!.current_period_end
    emulator.advanceTime(firstEnd - Math.floor(Date.now() / 1000) + 60)
    const renewed = await stripe.subscriptions.retrieve(sub.id)
    expect(renewed.items.data[0]!.current_period_start).toBe(firstEnd)
    expect(renewed.status).toBe('active')
    expect((await stripe.invoices.list({ subscription: sub.id })).data.map((i) => [i.billing_reason, i.status])).toEqual([
      ['subscription_cycle', 'paid'],
      ['subscription_create', 'paid'],
    ])
  })

  test('a failed renewal goes past_due, retries, and cancels after the last attempt', async () => {
    const stripe = stripeClient()
    await makePlan(stripe, 'kt_starter', 4900)
    const { session, customer } = await checkout(stripe)
    emulator.completeCheckout(session.id)
    const sub = (await stripe.subscriptions.list({ customer: customer.id })).data[0]!
    emulator.setPaymentsDecline(customer.id, true)
    emulator.advanceTime(sub.items.data[0]!.current_period_end - Math.floor(Date.now() / 1000) + 60)
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due')
    expect(emulator.events('invoice.payment_failed')).toHaveLength(1)
    emulator.advanceTime(20 * 86400)
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('canceled')
    expect(emulator.events('invoice.payment_failed')).toHaveLength(4)
    expect(emulator.events('customer.subscription.deleted')).toHaveLength(1)
  })

  test('the portal switches the price and cancels at period end', async () => {
    const stripe = stripeClient()
    await makePlan(stripe, 'kt_starter', 4900)
    const pro = await makePlan(stripe, 'kt_pro', 14900)
    const { session, customer } = await checkout(stripe)
    emulator.completeCheckout(session.id)
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'http://app.test/account' })
    const page = await (await fetch(portal.url)).text()
    expect(page).toContain('Update plan')
    expect(page).toContain('href="http://app.test/account"')
    const sub = (await stripe.subscriptions.list({ customer: customer.id })).data[0]!
    const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' as const })
    expect((await fetch(`${portal.url}/change`, form({ subscription: sub.id, price: pro.monthly.id }))).status).toBe(303)
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data[0]!.price.id).toBe(pro.monthly.id)
    const updated = emulator.events('customer.subscription.updated').at(-1)!
    expect((updated.data.previous_attributes as { items: Stripe.ApiList<Stripe.SubscriptionItem> }).items.data[0]!.price.lookup_key).toBe(
      'kt_starter_monthly',
    )
    await fetch(`${portal.url}/cancel`, form({ subscription: sub.id }))
    expect(await stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'active', cancel_at_period_end: true })
    emulator.advanceTime(40 * 86400)
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('canceled')
  })
})
