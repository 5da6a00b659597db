// `make stripe-sync`: makes the Stripe account match the plan catalogue. Each
// paid plan is a Product with our own id (`kt_<plan>`); each of its prices is
// found by lookup key. Prices are immutable, so a changed amount becomes a new
// price that takes over the lookup key, and the old one is archived. Running it
// twice changes nothing; every write has an idempotency key.
import type Stripe from 'stripe'
import { lookupKey, type Interval } from './catalogue.ts'
import type { Catalogue, Plan } from './model.ts'

export type SyncLine = { what: string; action: 'created' | 'updated' | 'unchanged' | 'replaced' }

const productId = (plan: Plan) => `kt_${plan.id}`

async function syncProduct(stripe: Stripe, plan: Plan): Promise<SyncLine> {
  const id = productId(plan)
  const wanted = { name: plan.name, description: plan.description || undefined, metadata: { plan: plan.id } }
  try {
    const product = await stripe.products.retrieve(id)
    if (
      product.name === plan.name &&
      (product.description ?? '') === plan.description &&
      product.active &&
      product.metadata.plan === plan.id
    )
      return { what: `product ${id}`, action: 'unchanged' }
    await stripe.products.update(
      id,
      { ...wanted, active: true },
      { idempotencyKey: `kt-sync-product-update-${id}-${Bun.hash(JSON.stringify(wanted)).toString(36)}` },
    )
    return { what: `product ${id}`, action: 'updated' }
  } catch (err) {
    if ((err as { code?: string }).code !== 'resource_missing') throw err
    await stripe.products.create({ id, ...wanted }, { idempotencyKey: `kt-sync-product-${id}` })
    return { what: `product ${id}`, action: 'created' }
  }
}

async function syncPrice(stripe: Stripe, plan: Plan, currency: string, interval: Interval): Promise<SyncLine> {
  const key = lookupKey(plan.id, interval)
  const amount = interval === 'month' ? plan.monthlyCents : plan.yearlyCents
  const [current] = (await stripe.prices.list({ lookup_keys: [key], limit: 1 })).data
  const matches =
    current &&
    current.active &&
    current.unit_amount === amount &&
    current.currency === currency &&
    current.recurring?.interval === interval &&
    current.recurring.interval_count === 1
  if (matches) return { what: `price ${key}`, action: 'unchanged' }
  await stripe.prices.create(
    {
      product: productId(plan),
      currency,
      unit_amount: amount,
      recurring: { interval },
      lookup_key: key,
      transfer_lookup_key: true,
      nickname: `${plan.name} (${interval === 'month' ? 'monthly' : 'yearly'})`,
      metadata: { plan: plan.id },
    },
    { idempotencyKey: `kt-sync-price-${key}-${currency}-${amount}` },
  )
  if (current?.active) await stripe.prices.update(current.id, { active: false }, { idempotencyKey: `kt-sync-archive-${current.id}` })
  return { what: `price ${key} (${amount / 100} ${currency})`, action: current ? 'replaced' : 'created' }
}

export async function syncCatalogue(stripe: Stripe, catalogue: Catalogue): Promise<SyncLine[]> {
  const lines: SyncLine[] = []
  for (const plan of catalogue.plans) {
    if (plan.monthlyCents === 0 && plan.yearlyCents === 0) continue
    lines.push(await syncProduct(stripe, plan))
    for (const interval of ['month', 'year'] as const) lines.push(await syncPrice(stripe, plan, catalogue.currency, interval))
  }
  return lines
}
