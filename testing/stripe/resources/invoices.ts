// Invoices for subscription periods and the payment attempts on them. A
// customer the test marked as declining fails every attempt: the invoice stays
// open, the subscription goes past_due, and after the last retry it is canceled
// (Stripe's default "cancel the subscription" dunning setting).
import { allowOnly, optString, type Params } from '../params.ts'
import { missing, StripeApiError } from '../stripeError.ts'
import type { StripeObject, StripeStore } from '../store.ts'

const RETRY_DAYS = [3, 5, 7]
export const MAX_PAYMENT_ATTEMPTS = RETRY_DAYS.length + 1

type Item = { id: string; price: StripeObject & { unit_amount: number; currency: string; product: string }; quantity: number }

export function createSubscriptionInvoice(
  store: StripeStore,
  subscription: StripeObject,
  reason: string,
  period: { start: number; end: number },
): StripeObject {
  const items = (subscription.items as { data: Item[] }).data
  const id = store.newId('in')
  const lines = items.map((item) => ({
    id: store.newId('il'),
    object: 'line_item',
    amount: item.price.unit_amount * item.quantity,
    currency: item.price.currency,
    description: `${item.quantity} × ${item.price.nickname ?? item.price.product} (at ${item.price.unit_amount / 100} / ${(item.price.recurring as { interval: string }).interval})`,
    invoice: id,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details',
      subscription_item_details: { invoice_item: null, proration: false, subscription: subscription.id, subscription_item: item.id },
    },
    period: { start: period.start, end: period.end },
    pricing: {
      type: 'price_details',
      price_details: { price: item.price.id, product: item.price.product },
      unit_amount_decimal: String(item.price.unit_amount),
    },
    quantity: item.quantity,
  }))
  const total = lines.reduce((sum, line) => sum + line.amount, 0)
  const count = store.all('invoice').filter((i) => i.customer === subscription.customer).length
  const customer = store.find(subscription.customer as string)
  const invoice = store.insert({
    id,
    object: 'invoice',
    created: store.now(),
    account_country: 'US',
    amount_due: total,
    amount_paid: 0,
    amount_remaining: total,
    attempt_count: 0,
    attempted: false,
    billing_reason: reason,
    collection_method: 'charge_automatically',
    currency: items[0]?.price.currency ?? 'usd',
    customer: subscription.customer,
    customer_email: customer?.email ?? null,
    hosted_invoice_url: `${store.baseUrl}/i/${id}`,
    invoice_pdf: `${store.baseUrl}/i/${id}/pdf`,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: `${customer?.invoice_prefix ?? 'INV'}-${String(count + 1).padStart(4, '0')}`,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: subscription.metadata, subscription: subscription.id },
    },
    period_end: period.start,
    period_start: period.start,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    total,
  })
  store.emit('invoice.created', invoice)
  invoice.status = 'open'
  ;(invoice.status_transitions as Record<string, number | null>).finalized_at = store.now()
  store.emit('invoice.finalized', invoice)
  return invoice
}

/** One charge attempt (`at`: when it happens, for retries that fell due while the clock jumped). Returns whether it succeeded; the subscription follows the outcome. */
export function attemptPayment(store: StripeStore, invoice: StripeObject, at = store.now()): boolean {
  const subscription = store.find(
    (invoice.parent as { subscription_details?: { subscription: string } }).subscription_details?.subscription ?? '',
  )
  invoice.attempt_count = (invoice.attempt_count as number) + 1
  invoice.attempted = true
  if (store.declines.has(invoice.customer as string)) {
    const attempts = invoice.attempt_count as number
    invoice.next_payment_attempt = attempts < MAX_PAYMENT_ATTEMPTS ? at + RETRY_DAYS[attempts - 1]! * 86_400 : null
    store.emit('invoice.payment_failed', invoice)
    if (subscription && subscription.status === 'active') setStatus(store, subscription, 'past_due')
    return false
  }
  invoice.status = 'paid'
  invoice.amount_paid = invoice.amount_due
  invoice.amount_remaining = 0
  invoice.next_payment_attempt = null
  ;(invoice.status_transitions as Record<string, number>).paid_at = at
  store.emit('invoice.paid', invoice)
  store.emit('invoice.payment_succeeded', invoice)
  if (subscription && ['past_due', 'incomplete', 'unpaid'].includes(subscription.status as string)) setStatus(store, subscription, 'active')
  return true
}

export function setStatus(store: StripeStore, subscription: StripeObject, status: string): void {
  const previous = { status: subscription.status }
  subscription.status = status
  store.emit('customer.subscription.updated', subscription, previous)
}

export function getInvoice(store: StripeStore, id: string): StripeObject {
  const invoice = store.find(id)
  if (!invoice || invoice.object !== 'invoice') throw missing('invoice', id)
  return invoice
}

export function payInvoice(store: StripeStore, id: string, params: Params): StripeObject {
  allowOnly(params, ['payment_method', 'off_session', 'paid_out_of_band'])
  const invoice = getInvoice(store, id)
  if (invoice.status === 'paid')
    throw new StripeApiError(400, 'invalid_request_error', 'Invoice is already paid', { code: 'invoice_already_paid' })
  if (!attemptPayment(store, invoice)) throw new StripeApiError(402, 'card_error', 'Your card was declined.', { code: 'card_declined' })
  return invoice
}

export function listInvoices(store: StripeStore, params: Params): StripeObject[] {
  allowOnly(params, [
    'customer',
    'subscription',
    'status',
    'limit',
    'starting_after',
    'ending_before',
    'created',
    'collection_method',
    'due_date',
  ])
  const customer = optString(params, 'customer')
  const subscription = optString(params, 'subscription')
  const status = optString(params, 'status')
  return store
    .all('invoice')
    .filter(
      (i) =>
        (customer === undefined || i.customer === customer) &&
        (status === undefined || i.status === status) &&
        (subscription === undefined ||
          (i.parent as { subscription_details?: { subscription: string } }).subscription_details?.subscription === subscription),
    )
}
