// /v1/products: create (optionally with your own id), retrieve, update, list.
import { allowOnly, mergeMetadata, optArray, optBool, optString, reqString, type Params } from '../params.ts'
import { invalid, missing } from '../stripeError.ts'
import type { StripeObject, StripeStore } from '../store.ts'

export function createProduct(store: StripeStore, params: Params): StripeObject {
  allowOnly(params, ['id', 'name', 'description', 'active', 'metadata', 'tax_code', 'statement_descriptor', 'unit_label', 'url'])
  const id = optString(params, 'id') ?? store.newId('prod')
  if (store.find(id)) throw invalid(`Product already exists.`, 'id')
  const now = store.now()
  const product = store.insert({
    id,
    object: 'product',
    created: now,
    updated: now,
    active: optBool(params, 'active') ?? true,
    default_price: null,
    description: optString(params, 'description') ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: mergeMetadata({}, params),
    name: reqString(params, 'name'),
    package_dimensions: null,
    shippable: null,
    statement_descriptor: optString(params, 'statement_descriptor') ?? null,
    tax_code: optString(params, 'tax_code') ?? null,
    type: 'service',
    unit_label: optString(params, 'unit_label') ?? null,
    url: optString(params, 'url') ?? null,
  })
  store.emit('product.created', product)
  return product
}

export function getProduct(store: StripeStore, id: string): StripeObject {
  const product = store.find(id)
  if (!product || product.object !== 'product') throw missing('product', id)
  return product
}

export function updateProduct(store: StripeStore, id: string, params: Params): StripeObject {
  allowOnly(params, ['name', 'description', 'active', 'metadata', 'statement_descriptor', 'unit_label', 'url'])
  const product = getProduct(store, id)
  const previous: Record<string, unknown> = {}
  for (const field of ['name', 'description', 'statement_descriptor', 'unit_label', 'url'] as const) {
    const value = optString(params, field)
    if (value === undefined || value === product[field]) continue
    previous[field] = product[field]
    product[field] = value === '' && field !== 'name' ? null : value
  }
  const active = optBool(params, 'active')
  if (active !== undefined && active !== product.active) {
    previous.active = product.active
    product.active = active
  }
  if (params.metadata !== undefined) {
    previous.metadata = product.metadata
    product.metadata = mergeMetadata(product.metadata as Record<string, string>, params)
  }
  product.updated = store.now()
  if (Object.keys(previous).length) store.emit('product.updated', product, previous)
  return product
}

export function listProducts(store: StripeStore, params: Params): StripeObject[] {
  allowOnly(params, ['active', 'ids', 'limit', 'starting_after', 'ending_before', 'created', 'shippable', 'url'])
  const active = optBool(params, 'active')
  const ids = optArray(params, 'ids')
  return store.all('product').filter((p) => (active === undefined || p.active === active) && (!ids || ids.includes(p.id)))
}
