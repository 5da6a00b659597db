// The pages Stripe would host, reduced to what a test or a person trying the
// product needs: Checkout (opening the link pays and returns to success_url),
// the Customer Portal (switch price, cancel, resume, invoices) and invoices.
import type { StripeObject, StripeStore } from './store.ts'
import { completeCheckoutSession } from './resources/checkoutSessions.ts'
import { getInvoice } from './resources/invoices.ts'
import { getPortalSession } from './resources/portalSessions.ts'
import { cancelSubscription, listSubscriptions, updateSubscription } from './resources/subscriptions.ts'
import { StripeApiError } from './stripeError.ts'

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`
const day = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 10)

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}<p><small>Stripe emulator (test mode)</small></p></body></html>`
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } })
}

const redirect = (url: string) => new Response(null, { status: 303, headers: { location: url } })

export async function hostedPage(store: StripeStore, req: Request, path: string): Promise<Response | null> {
  let m = path.match(/^\/c\/pay\/([^/]+)(\/cancel)?$/)
  if (m && req.method === 'GET') {
    const session = store.find(m[1]!)
    if (!session || session.object !== 'checkout.session') return page('Checkout not found', '<p>This link is not valid.</p>', 404)
    if (m[2]) return session.cancel_url ? redirect(session.cancel_url as string) : page('Checkout canceled', '')
    const result = completeCheckoutSession(store, session.id)
    if (result.ok) return redirect((session.success_url as string).replaceAll('{CHECKOUT_SESSION_ID}', session.id))
    if (result.reason === 'declined')
      return page('Your card was declined', `<p><a href="${esc(session.cancel_url)}">Return to the merchant</a></p>`, 402)
    return page('This checkout session has expired', '', 410)
  }
  m = path.match(/^\/p\/session\/([^/]+)(?:\/(change|cancel|resume))?$/)
  if (m) {
    let portal: StripeObject
    try {
      portal = getPortalSession(store, m[1]!)
    } catch {
      return page('Portal session not found', '', 404)
    }
    if (req.method === 'GET' && !m[2]) return portalPage(store, portal)
    if (req.method !== 'POST' || !m[2]) return null
    const form = new URLSearchParams(await req.text())
    const subscription = listSubscriptions(store, { customer: portal.customer as string }).find((s) => s.id === form.get('subscription'))
    if (!subscription) return page('No such subscription', '', 404)
    try {
      if (m[2] === 'change')
        updateSubscription(store, subscription.id, {
          items: [{ id: (subscription.items as { data: { id: string }[] }).data[0]!.id, price: form.get('price') ?? '' }],
        })
      else if (m[2] === 'resume') updateSubscription(store, subscription.id, { cancel_at_period_end: 'false' })
      else if (form.get('when') === 'now') cancelSubscription(store, subscription.id)
      else updateSubscription(store, subscription.id, { cancel_at_period_end: 'true' })
    } catch (error) {
      if (error instanceof StripeApiError) return page('That change was refused', `<p>${esc(error.message)}</p>`, error.status)
      throw error
    }
    return redirect(`${store.baseUrl}/p/session/${portal.id}`)
  }
  m = path.match(/^\/i\/([^/]+)(\/pdf)?$/)
  if (m && req.method === 'GET') {
    let invoice: StripeObject
    try {
      invoice = getInvoice(store, m[1]!)
    } catch {
      return page('Invoice not found', '', 404)
    }
    if (m[2])
      return new Response(`%PDF-1.4\n% Invoice ${invoice.number} (emulator)\n%%EOF\n`, { headers: { 'content-type': 'application/pdf' } })
    return page(
      `Invoice ${invoice.number}`,
      `<p>Status: ${esc(invoice.status)}</p><p>Total: ${esc(money(invoice.total as number, invoice.currency as string))}</p>`,
    )
  }
  return null
}

function portalPage(store: StripeStore, portal: StripeObject): Response {
  const subscriptions = listSubscriptions(store, { customer: portal.customer as string })
  const prices = store.all('price').filter((p) => p.active && p.recurring)
  const action = (name: string) => `${store.baseUrl}/p/session/${portal.id}/${name}`
  const blocks = subscriptions.map((s) => {
    const item = (s.items as { data: { price: StripeObject; current_period_end: number }[] }).data[0]!
    const options = prices
      .filter((p) => p.id !== item.price.id)
      .map(
        (p) =>
          `<option value="${esc(p.id)}">${esc(p.lookup_key ?? p.nickname ?? p.id)} — ${esc(money(p.unit_amount as number, p.currency as string))}</option>`,
      )
      .join('')
    const hidden = `<input type="hidden" name="subscription" value="${esc(s.id)}">`
    return `<section data-subscription="${esc(s.id)}"><h2>${esc(item.price.lookup_key ?? item.price.id)} (${esc(s.status)})</h2>
<p>${s.cancel_at_period_end ? 'Cancels' : 'Renews'} on ${day(item.current_period_end)}</p>
<form method="post" action="${action('change')}">${hidden}<select name="price">${options}</select><button>Update plan</button></form>
${s.cancel_at_period_end ? `<form method="post" action="${action('resume')}">${hidden}<button>Renew plan</button></form>` : `<form method="post" action="${action('cancel')}">${hidden}<button>Cancel plan</button></form>`}
<form method="post" action="${action('cancel')}">${hidden}<input type="hidden" name="when" value="now"><button>Cancel now</button></form></section>`
  })
  const invoices = store
    .all('invoice')
    .filter((i) => i.customer === portal.customer)
    .map(
      (i) =>
        `<li><a href="${esc(i.hosted_invoice_url)}">${esc(i.number)}</a> ${esc(i.status)} ${esc(money(i.total as number, i.currency as string))}</li>`,
    )
  const back = portal.return_url ? `<p><a id="return" href="${esc(portal.return_url)}">Return to the app</a></p>` : ''
  return page(
    'Billing portal',
    `${blocks.join('') || '<p>No active subscription.</p>'}<h2>Invoices</h2><ul>${invoices.join('')}</ul>${back}`,
  )
}
