// /v1/prices: prices are immutable in amount and interval; a lookup key names
// at most one price at a time and moves with `transfer_lookup_key`.
import { allowOnly, mergeMetadata, optArray, optBool, optInt, optObject, optString, reqString, type Params } from '../params.ts'
import { invalid, missing } from '../stripeError.ts'
import type { StripeObject, StripeStore } from '../store.ts'
import { getProduct } from './products.ts'

const INTERVALS = ['day', 'week', 'month', 'year']

function claimLookupKey(store: StripeStore, key: string, transfer: boolean, selfId: string): void {
  const holder = store.all('price').find((p) => p.lookup_key === key && p.id !== selfId)
  if (!holder) return
  if (!transfer) throw invalid(`A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key')
  holder.lookup_key = null
}

export function createPrice(store: StripeStore, params: Params): StripeObject {
  allowOnly(params, [
    'currency',
    'unit_amount',
    'product',
    'recurring',
    'lookup_key',
    'transfer_lookup_key',
    'nickname',
    'metadata',
    'active',
    'tax_behavior',
    'billing_scheme',
  ])
  const currency = reqString(params, 'currency').toLowerCase()
  const unitAmount = optInt(params, 'unit_amount')
  if (unitAmount === undefined) throw invalid('Missing required param: unit_amount.', 'unit_amount')
  if (unitAmount < 0) throw invalid('This value must be greater than or equal to 0.', 'unit_amount')
  const product = getProduct(store, reqString(params, 'product'))
  const recurringParams = optObject(params, 'recurring')
  let recurring: Record<string, unknown> | null = null
  if (recurringParams) {
    const interval = reqString(recurringParams, 'interval')
    if (!INTERVALS.includes(interval))
      throw invalid(`Invalid recurring[interval]: must be one of day, month, week, or year`, 'recurring[interval]')
    recurring = {
      interval,
      interval_count: optInt(recurringParams, 'interval_count') ?? 1,
      meter: null,
      trial_period_days: null,
      usage_type: 'licensed',
    }
  }
  const id = store.newId('price')
  const lookupKey = optString(params, 'lookup_key') ?? null
  if (lookupKey) claimLookupKey(store, lookupKey, optBool(params, 'transfer_lookup_key') ?? false, id)
  const price = store.insert({
    id,
    object: 'price',
    created: store.now(),
    active: optBool(params, 'active') ?? true,
    billing_scheme: 'per_unit',
    currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookupKey,
    metadata: mergeMetadata({}, params),
    nickname: optString(params, 'nickname') ?? null,
    product: product.id,
    recurring,
    tax_behavior: optString(params, 'tax_behavior') ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  })
  store.emit('price.created', price)
  return price
}

export function getPrice(store: StripeStore, id: string, param = 'id'): StripeObject {
  const price = store.find(id)
  if (!price || price.object !== 'price') throw missing('price', id, param)
  return price
}

export function updatePrice(store: StripeStore, id: string, params: Params): StripeObject {
  allowOnly(params, ['active', 'lookup_key', 'transfer_lookup_key', 'nickname', 'metadata', 'tax_behavior'])
  const price = getPrice(store, id)
  const previous: Record<string, unknown> = {}
  const active = optBool(params, 'active')
  if (active !== undefined && active !== price.active) {
    previous.active = price.active
    price.active = active
  }
  const lookupKey = optString(params, 'lookup_key')
  if (lookupKey !== undefined && lookupKey !== price.lookup_key) {
    if (lookupKey) claimLookupKey(store, lookupKey, optBool(params, 'transfer_lookup_key') ?? false, id)
    previous.lookup_key = price.lookup_key
    price.lookup_key = lookupKey || null
  }
  const nickname = optString(params, 'nickname')
  if (nickname !== undefined && nickname !== price.nickname) {
    previous.nickname = price.nickname
    price.nickname = nickname || null
  }
  if (params.metadata !== undefined) {
    previous.metadata = price.metadata
    price.metadata = mergeMetadata(price.metadata as Record<string, string>, params)
  }
  if (Object.keys(previous).length) store.emit('price.updated', price, previous)
  return price
}

export function listPrices(store: StripeStore, params: Params): StripeObject[] {
  allowOnly(params, [
    'active',
    'product',
    'lookup_keys',
    'type',
    'currency',
    'recurring',
    'limit',
    'starting_after',
    'ending_before',
    'created',
  ])
  const active = optBool(params, 'active')
  const product = optString(params, 'product')
  const lookupKeys = optArray(params, 'lookup_keys')
  const type = optString(params, 'type')
  const currency = optString(params, 'currency')
  const interval = optString(optObject(params, 'recurring') ?? {}, 'interval')
  return store
    .all('price')
    .filter(
      (p) =>
        (active === undefined || p.active === active) &&
        (product === undefined || p.product === product) &&
        (!lookupKeys || lookupKeys.includes(p.lookup_key)) &&
        (type === undefined || p.type === type) &&
        (currency === undefined || p.currency === currency) &&
        (interval === undefined || (p.recurring as { interval?: string } | null)?.interval === interval),
    )
}
