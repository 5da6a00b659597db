// /v1/billing_portal/sessions: a short-lived link to the emulator's portal page
// for one customer (change plan, cancel, invoices), returning to `return_url`.
import { allowOnly, optString, reqString, type Params } from '../params.ts'
import { missing } from '../stripeError.ts'
import type { StripeObject, StripeStore } from '../store.ts'
import { getCustomer } from './customers.ts'

export function createPortalSession(store: StripeStore, params: Params): StripeObject {
  allowOnly(params, ['customer', 'return_url', 'configuration', 'flow_data', 'locale', 'on_behalf_of'])
  const customer = getCustomer(store, reqString(params, 'customer'))
  const id = store.newId('bps')
  return store.insert({
    id,
    object: 'billing_portal.session',
    created: store.now(),
    configuration: optString(params, 'configuration') ?? 'bpc_emulator_default',
    customer: customer.id,
    flow: null,
    livemode: false,
    locale: optString(params, 'locale') ?? null,
    on_behalf_of: null,
    return_url: optString(params, 'return_url') ?? null,
    url: `${store.baseUrl}/p/session/${id}`,
  })
}

export function getPortalSession(store: StripeStore, id: string): StripeObject {
  const session = store.find(id)
  if (!session || session.object !== 'billing_portal.session') throw missing('billing_portal.session', id)
  return session
}
