// /v1/checkout/sessions in subscription mode. The session's `url` is a page on
// the emulator: opening it pays (unless the customer is set to decline) and
// redirects to `success_url`, as a customer finishing Checkout would.
import { allowOnly, mergeMetadata, optArray, optBool, optInt, optObject, optString, reqString, type Params } from '../params.ts'
import { invalid, missing } from '../stripeError.ts'
import type { StripeObject, StripeStore } from '../store.ts'
import { createCustomer, getCustomer } from './customers.ts'
import { recurringPrice, startSubscription } from './subscriptions.ts'

const ALLOWED = [
  'mode',
  'customer',
  'customer_email',
  'line_items',
  'success_url',
  'cancel_url',
  'client_reference_id',
  'metadata',
  'subscription_data',
  'allow_promotion_codes',
  'billing_address_collection',
  'automatic_tax',
  'customer_update',
  'locale',
  'payment_method_types',
  'ui_mode',
  'tax_id_collection',
  'consent_collection',
  'expires_at',
]

type LineItem = { price: string; quantity: number }

export function createCheckoutSession(store: StripeStore, params: Params): StripeObject {
  allowOnly(params, ALLOWED)
  const mode = reqString(params, 'mode')
  if (mode !== 'subscription') throw invalid(`The emulator supports \`mode=subscription\` only (got ${mode}).`, 'mode')
  const successUrl = reqString(params, 'success_url')
  const customer = optString(params, 'customer')
  if (customer) getCustomer(store, customer)
  if (customer && params.customer_email !== undefined)
    throw invalid('You may only specify one of these parameters: customer, customer_email.', 'customer_email')
  const lineItems: LineItem[] = (optArray(params, 'line_items') ?? []).map((raw, i) => {
    const line = raw as Params
    recurringPrice(store, reqString(line, 'price'), `line_items[${i}][price]`)
    return { price: line.price as string, quantity: optInt(line, 'quantity') ?? 1 }
  })
  if (!lineItems.length) throw invalid('`line_items` is required in `subscription` mode.', 'line_items')
  const amount = lineItems.reduce((sum, l) => sum + (store.find(l.price)!.unit_amount as number) * l.quantity, 0)
  const id = store.newId('cs')
  const now = store.now()
  const subscriptionData = optObject(params, 'subscription_data') ?? {}
  return store.insert({
    id,
    object: 'checkout.session',
    created: now,
    allow_promotion_codes: optBool(params, 'allow_promotion_codes') ?? null,
    amount_subtotal: amount,
    amount_total: amount,
    cancel_url: optString(params, 'cancel_url') ?? null,
    client_reference_id: optString(params, 'client_reference_id') ?? null,
    currency: store.find(lineItems[0]!.price)!.currency,
    customer: customer ?? null,
    customer_email: optString(params, 'customer_email') ?? null,
    expires_at: optInt(params, 'expires_at') ?? now + 24 * 3600,
    invoice: null,
    livemode: false,
    locale: optString(params, 'locale') ?? null,
    metadata: mergeMetadata({}, params),
    mode,
    payment_status: 'unpaid',
    status: 'open',
    subscription: null,
    success_url: successUrl,
    ui_mode: 'hosted',
    url: `${store.baseUrl}/c/pay/${id}`,
    // Kept for completion and `line_items`; the API does not return these on the session itself.
    _line_items: lineItems,
    _subscription_metadata: mergeMetadata({}, subscriptionData),
  })
}

export function getCheckoutSession(store: StripeStore, id: string): StripeObject {
  const session = store.find(id)
  if (!session || session.object !== 'checkout.session') throw missing('checkout.session', id, 'session')
  if (session.status === 'open' && (session.expires_at as number) <= store.now()) expire(store, session)
  return session
}

function expire(store: StripeStore, session: StripeObject): void {
  session.status = 'expired'
  session.url = null
  store.emit('checkout.session.expired', session)
}

export function expireCheckoutSession(store: StripeStore, id: string): StripeObject {
  const session = getCheckoutSession(store, id)
  if (session.status !== 'open')
    throw invalid(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    )
  expire(store, session)
  return session
}

export function listCheckoutSessions(store: StripeStore, params: Params): StripeObject[] {
  allowOnly(params, ['customer', 'subscription', 'status', 'limit', 'starting_after', 'ending_before', 'created', 'payment_intent'])
  const customer = optString(params, 'customer')
  const subscription = optString(params, 'subscription')
  const status = optString(params, 'status')
  return store
    .all('checkout.session')
    .filter(
      (s) =>
        (customer === undefined || s.customer === customer) &&
        (subscription === undefined || s.subscription === subscription) &&
        (status === undefined || s.status === status),
    )
}

export function listCheckoutLineItems(store: StripeStore, id: string): StripeObject[] {
  const session = getCheckoutSession(store, id)
  return (session._line_items as LineItem[]).map((line, i) => {
    const price = store.find(line.price)!
    const amount = (price.unit_amount as number) * line.quantity
    return {
      id: `li_${session.id.slice(-20)}${i}`,
      object: 'item',
      created: session.created,
      amount_subtotal: amount,
      amount_total: amount,
      currency: price.currency,
      description: price.nickname ?? '',
      price: structuredClone(price),
      quantity: line.quantity,
    }
  })
}

/** What happens when the customer pays: customer (if new), subscription, first invoice, then `checkout.session.completed`. */
export function completeCheckoutSession(
  store: StripeStore,
  id: string,
): { ok: true; session: StripeObject } | { ok: false; reason: 'declined' | 'expired' } {
  const session = getCheckoutSession(store, id)
  if (session.status === 'complete') return { ok: true, session }
  if (session.status !== 'open') return { ok: false, reason: 'expired' }
  const customerId =
    (session.customer as string | null) ?? createCustomer(store, { email: session.customer_email ?? undefined } as Params).id
  if (store.declines.has(customerId)) return { ok: false, reason: 'declined' }
  const subscription = startSubscription(store, {
    customer: customerId,
    items: session._line_items as LineItem[],
    metadata: session._subscription_metadata as Record<string, string>,
  })
  Object.assign(session, {
    customer: customerId,
    subscription: subscription.id,
    invoice: subscription.latest_invoice,
    status: 'complete',
    payment_status: 'paid',
    url: null,
  })
  store.emit('checkout.session.completed', session)
  return { ok: true, session }
}
