// The plan catalogue file and `make stripe-sync` against the emulator.
import { describe, expect, test } from 'bun:test'
import Stripe from 'stripe'
import { startStripeEmulator } from '../../testing/stripe/emulator.ts'
import { CatalogueError, loadCatalogue, lookupKey, parseCatalogue, parseLookupKey } from './catalogue.ts'
import { syncCatalogue } from './catalogueSync.ts'

const shipped = loadCatalogue()

describe('the catalogue', () => {
  test('ships the four plans with yearly = 10 × monthly', () => {
    expect(shipped.plans.map((p) => [p.id, p.monthlyCents, p.limits.messages])).toEqual([
      ['free', 0, 50],
      ['starter', 4900, 500],
      ['pro', 14900, 3000],
      ['enterprise', 49900, null],
    ])
    for (const plan of shipped.plans) expect(plan.yearlyCents).toBe(plan.monthlyCents * 10)
  })

  test('lookup keys go both ways', () => {
    expect(lookupKey('starter', 'month')).toBe('kt_starter_monthly')
    expect(parseLookupKey('kt_pro_yearly')).toEqual({ planId: 'pro', interval: 'year' })
    expect(parseLookupKey('something_else')).toBeNull()
  })

  test('a bad file is refused with the place that is wrong', () => {
    const broken = structuredClone(shipped) as { plans: { limits: Record<string, unknown> }[] }
    broken.plans[1]!.limits.messages = -1
    expect(() => parseCatalogue(broken, 'plans.json')).toThrow(/plans\.json: \/plans\/1\/limits\/messages/)
    expect(() => parseCatalogue({ ...shipped, plans: shipped.plans.slice(1) }, 'plans.json')).toThrow(CatalogueError)
    expect(() => parseCatalogue({ ...shipped, plans: [...shipped.plans, shipped.plans[1]] }, 'plans.json')).toThrow(/appears twice/)
  })
})

test('stripe-sync creates products and prices once, and replaces a price whose amount changed', async () => {
  const emulator = await startStripeEmulator()
  try {
    const stripe = new Stripe('sk_test_sync', emulator.sdkOptions)
    const first = await syncCatalogue(stripe, shipped)
    expect(first.filter((l) => l.action === 'created')).toHaveLength(9)
    expect((await syncCatalogue(stripe, shipped)).every((l) => l.action === 'unchanged')).toBe(true)
    const dearer = structuredClone(shipped)
    dearer.plans[1]!.monthlyCents = 5900
    const third = await syncCatalogue(stripe, dearer)
    expect(third.filter((l) => l.action !== 'unchanged').map((l) => l.action)).toEqual(['replaced'])
    const [price] = (await stripe.prices.list({ lookup_keys: ['kt_starter_monthly'] })).data
    expect([price!.unit_amount, price!.active]).toEqual([5900, true])
    expect(emulator.all('price').filter((p) => !p.active)).toHaveLength(1)
    expect(emulator.requests.filter((r) => r.method === 'POST').every((r) => r.idempotencyKey?.startsWith('kt-sync-'))).toBe(true)
  } finally {
    await emulator.stop()
  }
})
