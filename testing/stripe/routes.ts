// The API's routes: method + path -> handler. A handler returns one object or,
// for list endpoints, the matching objects (paginated by the caller).
import { allowOnly, optArray, optString, reqString, type Params } from './params.ts'
import { missing } from './stripeError.ts'
import type { StripeObject, StripeStore } from './store.ts'
import {
  createCheckoutSession,
  expireCheckoutSession,
  getCheckoutSession,
  listCheckoutLineItems,
  listCheckoutSessions,
} from './resources/checkoutSessions.ts'
import { createCustomer, deleteCustomer, getCustomer, listCustomers, updateCustomer } from './resources/customers.ts'
import { getInvoice, listInvoices, payInvoice } from './resources/invoices.ts'
import { createPortalSession } from './resources/portalSessions.ts'
import { createPrice, getPrice, listPrices, updatePrice } from './resources/prices.ts'
import { createProduct, getProduct, listProducts, updateProduct } from './resources/products.ts'
import {
  cancelSubscription,
  createSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from './resources/subscriptions.ts'
import type { WebhookDispatcher } from './webhookDelivery.ts'

export type RouteContext = { store: StripeStore; params: Params; id: string; webhooks: WebhookDispatcher }
/** What a list endpoint returns before pagination. */
export class ListResult {
  constructor(readonly items: StripeObject[]) {}
}
export type RouteResult = StripeObject | ListResult
type Route = { method: string; pattern: RegExp; handle(ctx: RouteContext): RouteResult }

const list = (items: StripeObject[]) => new ListResult(items)

function getOne(store: StripeStore, kind: string, id: string): StripeObject {
  const found = store.find(id)
  if (!found || found.object !== kind) throw missing(kind, id)
  return found
}

function createWebhookEndpoint({ store, params, webhooks }: RouteContext): StripeObject {
  allowOnly(params, ['url', 'enabled_events', 'description', 'api_version', 'metadata', 'connect'])
  const endpoint = {
    id: store.newId('we'),
    url: reqString(params, 'url'),
    secret: store.newId('whsec'),
    enabledEvents: (optArray(params, 'enabled_events') ?? ['*']).map(String),
  }
  webhooks.endpoints.push(endpoint)
  return store.insert({
    id: endpoint.id,
    object: 'webhook_endpoint',
    created: store.now(),
    api_version: optString(params, 'api_version') ?? null,
    application: null,
    description: optString(params, 'description') ?? null,
    enabled_events: endpoint.enabledEvents,
    livemode: false,
    metadata: {},
    secret: endpoint.secret,
    status: 'enabled',
    url: endpoint.url,
  })
}

const R = (method: string, path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(':id', '([^/]+)')}$`),
  handle,
})

export const routes: Route[] = [
  R('POST', '/v1/customers', ({ store, params }) => createCustomer(store, params)),
  R('GET', '/v1/customers', ({ store, params }) => list(listCustomers(store, params))),
  R('GET', '/v1/customers/:id', ({ store, id }) => getCustomer(store, id)),
  R('POST', '/v1/customers/:id', ({ store, id, params }) => updateCustomer(store, id, params)),
  R('DELETE', '/v1/customers/:id', ({ store, id }) => deleteCustomer(store, id)),
  R('POST', '/v1/products', ({ store, params }) => createProduct(store, params)),
  R('GET', '/v1/products', ({ store, params }) => list(listProducts(store, params))),
  R('GET', '/v1/products/:id', ({ store, id }) => getProduct(store, id)),
  R('POST', '/v1/products/:id', ({ store, id, params }) => updateProduct(store, id, params)),
  R('POST', '/v1/prices', ({ store, params }) => createPrice(store, params)),
  R('GET', '/v1/prices', ({ store, params }) => list(listPrices(store, params))),
  R('GET', '/v1/prices/:id', ({ store, id }) => getPrice(store, id)),
  R('POST', '/v1/prices/:id', ({ store, id, params }) => updatePrice(store, id, params)),
  R('POST', '/v1/checkout/sessions', ({ store, params }) => createCheckoutSession(store, params)),
  R('GET', '/v1/checkout/sessions', ({ store, params }) => list(listCheckoutSessions(store, params))),
  R('GET', '/v1/checkout/sessions/:id', ({ store, id }) => getCheckoutSession(store, id)),
  R('POST', '/v1/checkout/sessions/:id/expire', ({ store, id }) => expireCheckoutSession(store, id)),
  R('GET', '/v1/checkout/sessions/:id/line_items', ({ store, id }) => list(listCheckoutLineItems(store, id))),
  R('POST', '/v1/billing_portal/sessions', ({ store, params }) => createPortalSession(store, params)),
  R('POST', '/v1/subscriptions', ({ store, params }) => createSubscription(store, params)),
  R('GET', '/v1/subscriptions', ({ store, params }) => list(listSubscriptions(store, params))),
  R('GET', '/v1/subscriptions/:id', ({ store, id }) => getSubscription(store, id)),
  R('POST', '/v1/subscriptions/:id', ({ store, id, params }) => updateSubscription(store, id, params)),
  R('DELETE', '/v1/subscriptions/:id', ({ store, id, params }) => cancelSubscription(store, id, params)),
  R('GET', '/v1/invoices', ({ store, params }) => list(listInvoices(store, params))),
  R('GET', '/v1/invoices/:id', ({ store, id }) => getInvoice(store, id)),
  R('POST', '/v1/invoices/:id/pay', ({ store, id, params }) => payInvoice(store, id, params)),
  R('GET', '/v1/events', ({ store, params }) =>
    list(store.all('event').filter((e) => params.type === undefined || e.type === params.type)),
  ),
  R('GET', '/v1/events/:id', ({ store, id }) => getOne(store, 'event', id)),
  R('POST', '/v1/webhook_endpoints', createWebhookEndpoint),
  R('GET', '/v1/webhook_endpoints', ({ store }) => list(store.all('webhook_endpoint'))),
]
