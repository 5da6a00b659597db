// /v1/customers: create, retrieve, update, list (filter by email), delete.
import { allowOnly, mergeMetadata, optString, type Params } from '../params.ts'
import { missing } from '../stripeError.ts'
import type { StripeObject, StripeStore } from '../store.ts'

const FIELDS = ['email', 'name', 'description', 'metadata', 'phone', 'preferred_locales'] as const

export function createCustomer(store: StripeStore, params: Params): StripeObject {
  allowOnly(params, [...FIELDS, 'payment_method', 'invoice_settings'])
  const customer = store.insert({
    id: store.newId('cus'),
    object: 'customer',
    created: store.now(),
    address: null,
    balance: 0,
    currency: null,
    default_source: null,
    delinquent: false,
    description: optString(params, 'description') ?? null,
    email: optString(params, 'email') ?? null,
    invoice_prefix: store.newId('x').slice(2, 10).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: mergeMetadata({}, params),
    name: optString(params, 'name') ?? null,
    phone: optString(params, 'phone') ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  })
  store.emit('customer.created', customer)
  return customer
}

export function getCustomer(store: StripeStore, id: string): StripeObject {
  const customer = store.find(id)
  if (!customer || customer.object !== 'customer') throw missing('customer', id)
  return customer
}

export function updateCustomer(store: StripeStore, id: string, params: Params): StripeObject {
  allowOnly(params, [...FIELDS, 'invoice_settings'])
  const customer = getCustomer(store, id)
  const previous: Record<string, unknown> = {}
  for (const field of ['email', 'name', 'description', 'phone'] as const) {
    const value = optString(params, field)
    if (value === undefined || value === customer[field]) continue
    previous[field] = customer[field]
    customer[field] = value === '' ? null : value
  }
  if (params.metadata !== undefined) {
    previous.metadata = customer.metadata
    customer.metadata = mergeMetadata(customer.metadata as Record<string, string>, params)
  }
  if (Object.keys(previous).length) store.emit('customer.updated', customer, previous)
  return customer
}

export function listCustomers(store: StripeStore, params: Params): StripeObject[] {
  allowOnly(params, ['email', 'limit', 'starting_after', 'ending_before', 'created'])
  const email = optString(params, 'email')
  return store.all('customer').filter((c) => !c.deleted && (email === undefined || c.email === email))
}

export function deleteCustomer(store: StripeStore, id: string): StripeObject {
  const customer = getCustomer(store, id)
  customer.deleted = true
  store.emit('customer.deleted', customer)
  return { id, object: 'customer', created: customer.created, deleted: true }
}
