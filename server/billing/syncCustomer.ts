// Reads a customer's subscriptions back from Stripe and stores the state that
// matters (plan, status, period). Webhook jobs and the nightly reconciliation
// both end here: whatever order events arrive in, the state written is what
// Stripe says at that moment, under a row lock so two jobs cannot interleave.
import type { Sql } from '../platform/db.ts'
import type { Billing } from './billing.ts'
import { findPlan, parseLookupKey } from './catalogue.ts'
import type Stripe from 'stripe'
import * as q from './sql.ts'

const LIVE = ['active', 'trialing', 'past_due', 'unpaid', 'incomplete']
const RANK: Record<string, number> = { active: 5, trialing: 4, past_due: 3, unpaid: 2, incomplete: 1 }

/** The subscription that decides the plan: the best live one, newest first. */
export function chooseSubscription(subscriptions: Stripe.Subscription[]): Stripe.Subscription | null {
  const live = subscriptions.filter((s) => LIVE.includes(s.status))
  live.sort((a, b) => (RANK[b.status] ?? 0) - (RANK[a.status] ?? 0) || b.created - a.created)
  return live[0] ?? null
}

export function subscriptionState(billing: Billing, sub: Stripe.Subscription | null): q.SubscriptionState {
  const item = sub?.items.data[0]
  const parsed =
    parseLookupKey(item?.price.lookup_key) ??
    (typeof item?.price.metadata?.plan === 'string'
      ? { planId: item.price.metadata.plan, interval: (item.price.recurring?.interval === 'year' ? 'year' : 'month') as 'month' | 'year' }
      : null)
  if (!sub || !item || !parsed || !findPlan(billing.catalogue, parsed.planId)) {
    return {
      planId: null,
      interval: null,
      subscriptionId: sub?.id ?? null,
      status: sub?.status ?? null,
      periodStart: null,
      periodEnd: null,
      cancelAtPeriodEnd: false,
    }
  }
  return {
    planId: parsed.planId,
    interval: parsed.interval,
    subscriptionId: sub.id,
    status: sub.status,
    periodStart: new Date(item.current_period_start * 1000),
    periodEnd: new Date(item.current_period_end * 1000),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
  }
}

export type SyncOutcome = { userId: string; before: q.AccountRow | null; after: q.SubscriptionState; changed: boolean }

/** Re-reads the customer's subscriptions from Stripe and saves the result. Null when the customer is not one of ours. */
export async function syncCustomer(sql: Sql, billing: Billing, customerId: string): Promise<SyncOutcome | null> {
  const stripe = billing.stripe
  if (!stripe) return null
  const linked = await q.getAccountByCustomer(sql, customerId)
  if (!linked) return null
  return sql.begin(async (tx) => {
    const before = await q.getAccount(tx, linked.userId, { forUpdate: true })
    const list = await stripe.subscriptions.list({ customer: customerId, status: 'all', limit: 20 })
    const after = subscriptionState(billing, chooseSubscription(list.data))
    await q.saveSubscriptionState(tx, linked.userId, after)
    return { userId: linked.userId, before, after, changed: !sameState(before, after) }
  })
}

function sameState(before: q.AccountRow | null, after: q.SubscriptionState): boolean {
  if (!before) return after.subscriptionId === null
  const t = (d: Date | null) => d?.getTime() ?? null
  const beforePlan = before.planSource === 'stripe' ? before.planId : before.planSource === 'manual' ? after.planId : null
  return (
    beforePlan === after.planId &&
    before.subscriptionStatus === after.status &&
    before.stripeSubscriptionId === after.subscriptionId &&
    t(before.periodStart) === t(after.periodStart) &&
    t(before.periodEnd) === t(after.periodEnd) &&
    before.cancelAtPeriodEnd === after.cancelAtPeriodEnd
  )
}
