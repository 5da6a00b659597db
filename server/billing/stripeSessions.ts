// Checkout, the Customer Portal and billing history. Every Stripe write
// carries an idempotency key derived from what it does, so a retried request
// (double click, network retry, two tabs) gets the same customer or session.
import { getUserEmail } from '../auth/service.ts'
import type { Sql } from '../platform/db.ts'
import { ConflictError, NotFoundError, ServiceUnavailableError, UnprocessableError } from '../platform/errors.ts'
import type { Billing } from './billing.ts'
import { findPlan, lookupKey, type Interval } from './catalogue.ts'
import { planStateFor } from './quotas.ts'
import * as q from './sql.ts'
import type { Stripe } from './stripeClient.ts'

const HOUR_MS = 3_600_000

function stripeOf(billing: Billing): Stripe {
  if (!billing.stripe) throw new ServiceUnavailableError('billing_disabled', 'Billing is not configured on this server.')
  return billing.stripe
}

/** The user's Stripe customer, created once: concurrent first calls share one idempotency key and so one customer. */
export async function ensureCustomer(sql: Sql, billing: Billing, userId: string): Promise<string> {
  const account = await q.getAccount(sql, userId)
  if (account?.stripeCustomerId) return account.stripeCustomerId
  const email = await getUserEmail(sql, userId)
  const customer = await stripeOf(billing).customers.create(
    { email: email ?? undefined, metadata: { userId } },
    { idempotencyKey: `kt-customer-${userId}` },
  )
  return q.linkCustomer(sql, userId, customer.id)
}

export async function priceIdFor(billing: Billing, key: string): Promise<string> {
  const cached = billing.priceIds.get(key)
  if (cached) return cached
  const [price] = (await stripeOf(billing).prices.list({ lookup_keys: [key], active: true, limit: 1 })).data
  if (!price)
    throw new ServiceUnavailableError('price_missing', `No active Stripe price has the lookup key ${key}; run \`make stripe-sync\`.`)
  billing.priceIds.set(key, price.id)
  return price.id
}

export async function startCheckout(
  sql: Sql,
  billing: Billing,
  userId: string,
  planId: string,
  interval: Interval,
): Promise<{ url: string; sessionId: string }> {
  const plan = findPlan(billing.catalogue, planId)
  if (!plan || plan.monthlyCents === 0)
    throw new UnprocessableError('plan_not_sold', `There is no paid plan called "${planId}".`, { field: 'plan' })
  if (plan.contactSales)
    throw new UnprocessableError('contact_sales', `The ${plan.name} plan is arranged with our sales team: use the contact form.`, {
      field: 'plan',
    })
  const state = await planStateFor(sql, billing, userId)
  if (state.source === 'stripe')
    throw new ConflictError('already_subscribed', `You are on the ${state.plan.name} plan already; change plans in the billing portal.`)
  const customer = await ensureCustomer(sql, billing, userId)
  const key = lookupKey(plan.id, interval)
  const price = await priceIdFor(billing, key)
  const hour = Math.floor(Date.now() / HOUR_MS)
  const session = await stripeOf(billing).checkout.sessions.create(
    {
      mode: 'subscription',
      customer,
      client_reference_id: userId,
      line_items: [{ price, quantity: 1 }],
      success_url: `${billing.publicUrl}/account/billing?checkout=success`,
      cancel_url: `${billing.publicUrl}/pricing?checkout=canceled`,
      subscription_data: { metadata: { userId, plan: plan.id } },
      metadata: { userId, plan: plan.id },
    },
    // One open session per user, plan and hour: a retried click returns the same page.
    { idempotencyKey: `kt-checkout-${userId}-${key}-${hour}` },
  )
  return { url: session.url!, sessionId: session.id }
}

export async function openPortal(sql: Sql, billing: Billing, userId: string): Promise<{ url: string }> {
  const account = await q.getAccount(sql, userId)
  if (!account?.stripeCustomerId) throw new NotFoundError('Billing account')
  const session = await stripeOf(billing).billingPortal.sessions.create(
    { customer: account.stripeCustomerId, return_url: `${billing.publicUrl}/account/billing` },
    { idempotencyKey: `kt-portal-${userId}-${Math.floor(Date.now() / 60_000)}` },
  )
  return { url: session.url }
}

export type InvoiceView = {
  id: string
  number: string | null
  status: string | null
  totalCents: number
  currency: string
  createdAt: string
  hostedUrl: string | null
  pdfUrl: string | null
}

export async function listInvoices(sql: Sql, billing: Billing, userId: string): Promise<InvoiceView[]> {
  const account = await q.getAccount(sql, userId)
  if (!billing.stripe || !account?.stripeCustomerId) return []
  const invoices = await billing.stripe.invoices.list({ customer: account.stripeCustomerId, limit: 24 })
  return invoices.data.map((i) => ({
    id: i.id!,
    number: i.number,
    status: i.status,
    totalCents: i.total,
    currency: i.currency,
    createdAt: new Date(i.created * 1000).toISOString(),
    hostedUrl: i.hosted_invoice_url ?? null,
    pdfUrl: i.invoice_pdf ?? null,
  }))
}
