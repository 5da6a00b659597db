// /v1/subscriptions: start (from Checkout or the API), retrieve, list, update
// (price switch, cancel at period end), cancel, and the renewals a moved clock
// makes due. Since API version 2025-03-31 the current period lives on each
// subscription item (`items.data[].current_period_start/end`), as here.
import { boundary, nextPeriod, type Recurring } from '../billingCycle.ts'
import { allowOnly, mergeMetadata, optArray, optBool, optInt, optString, reqString, type Params } from '../params.ts'
import { invalid, missing } from '../stripeError.ts'
import type { StripeObject, StripeStore } from '../store.ts'
import { getCustomer } from './customers.ts'
import { attemptPayment, createSubscriptionInvoice, MAX_PAYMENT_ATTEMPTS } from './invoices.ts'
import { getPrice } from './prices.ts'

type Item = StripeObject & { price: StripeObject & { recurring: Recurring }; current_period_start: number; current_period_end: number }
const itemsOf = (subscription: StripeObject) => (subscription.items as { data: Item[] }).data
const LIVE = ['active', 'past_due', 'trialing', 'unpaid']

export function recurringPrice(store: StripeStore, id: string, param: string): StripeObject & { recurring: Recurring } {
  const price = getPrice(store, id, param)
  if (!price.active) throw invalid(`The price specified is inactive. This field only accepts active prices.`, param)
  if (!price.recurring)
    throw invalid(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, param)
  return price as StripeObject & { recurring: Recurring }
}

function newItem(
  store: StripeStore,
  subscriptionId: string,
  price: StripeObject & { recurring: Recurring },
  quantity: number,
  period: { start: number; end: number },
): Item {
  return {
    id: store.newId('si'),
    object: 'subscription_item',
    created: store.now(),
    current_period_end: period.end,
    current_period_start: period.start,
    discounts: [],
    metadata: {},
    price: structuredClone(price),
    quantity,
    subscription: subscriptionId,
    tax_rates: [],
  }
}

/** Creates an active subscription and charges its first invoice (`incomplete` if that fails). */
export function startSubscription(
  store: StripeStore,
  args: { customer: string; items: { price: string; quantity: number }[]; metadata: Record<string, string> },
): StripeObject {
  const now = store.now()
  const id = store.newId('sub')
  const prices = args.items.map((item, i) => recurringPrice(store, item.price, `items[${i}][price]`))
  const period = { start: now, end: boundary(now, prices[0]!.recurring, 1) }
  const subscription = store.insert({
    id,
    object: 'subscription',
    created: now,
    billing_cycle_anchor: now,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    currency: prices[0]!.currency,
    customer: args.customer,
    default_payment_method: null,
    description: null,
    discounts: [],
    ended_at: null,
    items: {
      object: 'list',
      data: prices.map((p, i) => newItem(store, id, p, args.items[i]!.quantity, period)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null as string | null,
    livemode: false,
    metadata: args.metadata,
    pause_collection: null,
    schedule: null,
    start_date: now,
    // A card that pays at once makes the subscription active from the start.
    status: store.declines.has(args.customer) ? 'incomplete' : 'active',
    test_clock: null,
    trial_end: null,
    trial_start: null,
  })
  store.emit('customer.subscription.created', subscription)
  const invoice = createSubscriptionInvoice(store, subscription, 'subscription_create', period)
  subscription.latest_invoice = invoice.id
  attemptPayment(store, invoice)
  return subscription
}

export function createSubscription(store: StripeStore, params: Params): StripeObject {
  allowOnly(params, [
    'customer',
    'items',
    'metadata',
    'payment_behavior',
    'default_payment_method',
    'collection_method',
    'proration_behavior',
    'description',
  ])
  const customer = getCustomer(store, reqString(params, 'customer')).id
  const items = (optArray(params, 'items') ?? []).map((raw, i) => {
    const item = raw as Params
    return { price: reqString(item, 'price'), quantity: optInt(item, 'quantity') ?? 1, index: i }
  })
  if (!items.length) throw invalid('Missing required param: items.', 'items')
  return startSubscription(store, { customer, items, metadata: mergeMetadata({}, params) })
}

export function getSubscription(store: StripeStore, id: string): StripeObject {
  const subscription = store.find(id)
  if (!subscription || subscription.object !== 'subscription') throw missing('subscription', id)
  return subscription
}

export function updateSubscription(store: StripeStore, id: string, params: Params): StripeObject {
  allowOnly(params, [
    'items',
    'cancel_at_period_end',
    'proration_behavior',
    'metadata',
    'payment_behavior',
    'default_payment_method',
    'description',
    'billing_cycle_anchor',
  ])
  const subscription = getSubscription(store, id)
  if (subscription.status === 'canceled') throw invalid('A canceled subscription can only update its cancellation_details and metadata.')
  const previous: Record<string, unknown> = {}
  const before = structuredClone(subscription.items)
  let reset = false
  for (const [i, raw] of (optArray(params, 'items') ?? []).entries()) {
    const change = raw as Params
    const item = itemsOf(subscription).find((it) => it.id === optString(change, 'id')) ?? itemsOf(subscription)[0]
    if (!item) throw invalid('Subscription has no items', `items[${i}][id]`)
    const priceId = optString(change, 'price')
    if (priceId && priceId !== item.price.id) {
      const price = recurringPrice(store, priceId, `items[${i}][price]`)
      const old = item.price.recurring
      // A change of interval restarts the billing cycle today, with a new invoice.
      reset ||= old.interval !== price.recurring.interval || old.interval_count !== price.recurring.interval_count
      item.price = structuredClone(price)
    }
    item.quantity = optInt(change, 'quantity') ?? item.quantity
  }
  if (JSON.stringify(before) !== JSON.stringify(subscription.items)) previous.items = before
  const cancelAtPeriodEnd = optBool(params, 'cancel_at_period_end')
  if (cancelAtPeriodEnd !== undefined && cancelAtPeriodEnd !== subscription.cancel_at_period_end) {
    previous.cancel_at_period_end = subscription.cancel_at_period_end
    previous.cancel_at = subscription.cancel_at
    subscription.cancel_at_period_end = cancelAtPeriodEnd
    subscription.cancel_at = cancelAtPeriodEnd ? itemsOf(subscription)[0]!.current_period_end : null
  }
  if (params.metadata !== undefined) {
    previous.metadata = subscription.metadata
    subscription.metadata = mergeMetadata(subscription.metadata as Record<string, string>, params)
  }
  if (reset) {
    const now = store.now()
    subscription.billing_cycle_anchor = now
    for (const item of itemsOf(subscription))
      Object.assign(item, { current_period_start: now, current_period_end: boundary(now, item.price.recurring, 1) })
  }
  if (Object.keys(previous).length) store.emit('customer.subscription.updated', subscription, previous)
  if (reset) {
    const item = itemsOf(subscription)[0]!
    const invoice = createSubscriptionInvoice(store, subscription, 'subscription_update', {
      start: item.current_period_start,
      end: item.current_period_end,
    })
    subscription.latest_invoice = invoice.id
    attemptPayment(store, invoice)
  }
  return subscription
}

export function cancelSubscription(store: StripeStore, id: string, params: Params = {}): StripeObject {
  allowOnly(params, ['invoice_now', 'prorate', 'cancellation_details'])
  const subscription = getSubscription(store, id)
  if (subscription.status === 'canceled') throw invalid(`No such subscription: '${id}'; it has been canceled.`)
  const now = store.now()
  Object.assign(subscription, { status: 'canceled', canceled_at: now, ended_at: now, cancel_at_period_end: false })
  store.emit('customer.subscription.deleted', subscription)
  return subscription
}

export function listSubscriptions(store: StripeStore, params: Params): StripeObject[] {
  allowOnly(params, ['customer', 'price', 'status', 'limit', 'starting_after', 'ending_before', 'created', 'collection_method'])
  const customer = optString(params, 'customer')
  const price = optString(params, 'price')
  const status = optString(params, 'status')
  return store
    .all('subscription')
    .filter(
      (s) =>
        (customer === undefined || s.customer === customer) &&
        (price === undefined || itemsOf(s).some((item) => item.price.id === price)) &&
        (status === 'all' ||
          (status === undefined
            ? s.status !== 'canceled'
            : status === 'ended'
              ? ['canceled', 'incomplete_expired'].includes(s.status as string)
              : s.status === status)),
    )
}

/** Renews every subscription whose period has ended on the emulator's clock, and retries failed payments that are due. */
export function runDueBilling(store: StripeStore): void {
  for (let pass = 0; pass < 1000; pass++) {
    const now = store.now()
    const due = store.all('subscription').find((s) => LIVE.includes(s.status as string) && itemsOf(s)[0]!.current_period_end <= now)
    if (!due) break
    const item = itemsOf(due)[0]!
    if (due.cancel_at_period_end) {
      Object.assign(due, { status: 'canceled', canceled_at: item.current_period_end, ended_at: item.current_period_end })
      store.emit('customer.subscription.deleted', due)
      continue
    }
    const previous = { items: structuredClone(due.items) }
    const period = nextPeriod(due.billing_cycle_anchor as number, item.price.recurring, item.current_period_start)
    for (const it of itemsOf(due)) Object.assign(it, { current_period_start: period.start, current_period_end: period.end })
    store.emit('customer.subscription.updated', due, previous)
    const invoice = createSubscriptionInvoice(store, due, 'subscription_cycle', period)
    due.latest_invoice = invoice.id
    attemptPayment(store, invoice)
  }
  retryDuePayments(store)
}

function retryDuePayments(store: StripeStore): void {
  const due = (invoice: StripeObject) =>
    invoice.status === 'open' && invoice.next_payment_attempt !== null && (invoice.next_payment_attempt as number) <= store.now()
  for (let invoice = store.all('invoice').find(due); invoice; invoice = store.all('invoice').find(due)) {
    if (attemptPayment(store, invoice, invoice.next_payment_attempt as number)) continue
    const subscriptionId = (invoice.parent as { subscription_details?: { subscription: string } }).subscription_details?.subscription
    const subscription = subscriptionId ? store.find(subscriptionId) : undefined
    if ((invoice.attempt_count as number) >= MAX_PAYMENT_ATTEMPTS && subscription && subscription.status !== 'canceled')
      cancelSubscription(store, subscription.id)
  }
}
