// The emulator, proven with the real `stripe` SDK: objects, lists, lookup keys,
// errors and idempotency behave as the SDK expects from the real API.
import { describe, expect, test } from 'bun:test'
import Stripe from 'stripe'
import { emulator, makePlan, rejection, stripeClient, useStripeEmulator } from './emulatorHarness.ts'

useStripeEmulator()

describe('customers', () => {
  test('create, retrieve, update, list by email and delete', async () => {
    const stripe = stripeClient()
    const created = await stripe.customers.create({ email: 'ada@example.com', metadata: { userId: 'u1' } })
    expect(created.id).toMatch(/^cus_/)
    expect((await stripe.customers.retrieve(created.id)) as Stripe.Customer).toMatchObject({
      email: 'ada@example.com',
      metadata: { userId: 'u1' },
    })
    await stripe.customers.update(created.id, { name: 'Ada', metadata: { userId: '', plan: 'pro' } })
    const listed = await stripe.customers.list({ email: 'ada@example.com' })
    expect(listed.data.map((c) => [c.id, c.name, c.metadata])).toEqual([[created.id, 'Ada', { plan: 'pro' }]])
    expect(await stripe.customers.del(created.id)).toMatchObject({ id: created.id, deleted: true })
    expect(emulator.requests.every((r) => r.stripeVersion === Stripe.API_VERSION)).toBe(true)
  })

  test('an unknown id is a resource_missing error, a bad key an authentication error', async () => {
    const missing = await rejection(stripeClient().customers.retrieve('cus_nope'))
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' })
    const denied = await rejection(stripeClient('sk_live_real').customers.list())
    expect(denied).toBeInstanceOf(Stripe.errors.StripeAuthenticationError)
  })

  test('an unknown parameter is refused, naming it', async () => {
    const error = await rejection(stripeClient().customers.create({ emali: 'typo@example.com' } as Stripe.CustomerCreateParams))
    expect(error).toMatchObject({ statusCode: 400, param: 'emali' })
  })

  test('auto-pagination walks every page newest first', async () => {
    const stripe = stripeClient()
    for (let i = 0; i < 23; i++) await stripe.customers.create({ email: `c${i}@example.com` })
    const all = await stripe.customers.list({ limit: 10 }).autoPagingToArray({ limit: 100 })
    expect(all.map((c) => c.email)).toEqual(Array.from({ length: 23 }, (_, i) => `c${22 - i}@example.com`))
  })
})

describe('prices and lookup keys', () => {
  test('list by lookup key with the product expanded', async () => {
    const stripe = stripeClient()
    const { product, monthly } = await makePlan(stripe, 'kt_starter', 4900)
    const found = await stripe.prices.list({ lookup_keys: ['kt_starter_monthly'], expand: ['data.product'] })
    expect(found.data).toHaveLength(1)
    expect(found.data[0]).toMatchObject({ id: monthly.id, unit_amount: 4900, recurring: { interval: 'month', interval_count: 1 } })
    expect((found.data[0]!.product as Stripe.Product).id).toBe(product.id)
  })

  test('a lookup key names one price; transfer_lookup_key moves it to a new price', async () => {
    const stripe = stripeClient()
    const { product, monthly } = await makePlan(stripe, 'kt_pro', 14900)
    const clash = await rejection(
      stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 15900,
        recurring: { interval: 'month' },
        lookup_key: 'kt_pro_monthly',
      }),
    )
    expect(clash).toMatchObject({ statusCode: 400, param: 'lookup_key' })
    const moved = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 15900,
      recurring: { interval: 'month' },
      lookup_key: 'kt_pro_monthly',
      transfer_lookup_key: true,
    })
    expect((await stripe.prices.list({ lookup_keys: ['kt_pro_monthly'] })).data.map((p) => p.id)).toEqual([moved.id])
    expect((await stripe.prices.retrieve(monthly.id)).lookup_key).toBeNull()
  })
})

describe('idempotency keys', () => {
  test('the same key and parameters return the same object, replayed', async () => {
    const stripe = stripeClient()
    const a = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'kt-customer-1' })
    const b = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'kt-customer-1' })
    expect(b.id).toBe(a.id)
    expect(emulator.all('customer')).toHaveLength(1)
    expect(emulator.requests.map((r) => r.replayed)).toEqual([false, true])
  })

  test('the same key with other parameters is a 400 idempotency error', async () => {
    const stripe = stripeClient()
    await stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'kt-customer-2' })
    const error = await rejection(stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: 'kt-customer-2' }))
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
    expect(error).toMatchObject({ statusCode: 400 })
    expect(emulator.all('customer')).toHaveLength(1)
  })

  test('a request refused by validation saves nothing, so the key can be used once fixed', async () => {
    const stripe = stripeClient()
    await rejection(stripe.prices.create({ product: 'prod_missing', currency: 'usd', unit_amount: 100 }, { idempotencyKey: 'kt-price-1' }))
    const product = await stripe.products.create({ name: 'p' })
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 }, { idempotencyKey: 'kt-price-1' })
    expect(price.id).toMatch(/^price_/)
  })

  test('the SDK keys every POST itself; DELETE only when asked', async () => {
    const stripe = stripeClient()
    const { monthly } = await makePlan(stripe, 'kt_x', 100)
    const customer = await stripe.customers.create({ email: 'k@example.com' })
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] })
    await stripe.subscriptions.cancel(sub.id, {}, { idempotencyKey: 'kt-cancel-1' })
    const writes = emulator.requests.filter((r) => r.method !== 'GET')
    expect(writes.every((r) => r.idempotencyKey)).toBe(true)
    expect(writes.at(-1)).toMatchObject({ method: 'DELETE', idempotencyKey: 'kt-cancel-1' })
  })
})
