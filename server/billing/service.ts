// What the account page and the pricing page show: the plan in force, usage per
// dimension against its limit, daily usage for the chart, and the banner that
// explains a failed payment or a downgrade that left the account over a limit.
import type { Db } from '../platform/db.ts'
import type { Billing } from './billing.ts'
import { limitOf, lookupKey } from './catalogue.ts'
import { DIMENSIONS, TOTAL_DIMENSIONS, type Dimension, type UsageView } from './model.ts'
import { planStateOf } from './planState.ts'
import * as q from './sql.ts'

export type Banner = { kind: 'past_due'; graceEndsAt: string } | { kind: 'lapsed' } | { kind: 'over_limit'; dimensions: Dimension[] } | null

export function publicCatalogue(billing: Billing) {
  return {
    billingEnabled: billing.enabled,
    currency: billing.catalogue.currency,
    defaultPlan: billing.defaultPlan.id,
    salesContact: Boolean(billing.salesEmail),
    plans: billing.catalogue.plans.map((p) => ({
      ...p,
      contactSales: p.contactSales ?? false,
      lookupKeys: p.monthlyCents > 0 ? { month: lookupKey(p.id, 'month'), year: lookupKey(p.id, 'year') } : null,
    })),
  }
}

export async function billingSummary(db: Db, billing: Billing, userId: string) {
  const account = await q.getAccount(db, userId)
  const state = planStateOf(account, billing)
  const counters = await q.listCounters(db, userId, state.periodStart)
  const usage: UsageView[] = DIMENSIONS.map((dimension) => {
    const c = counters.find((x) => x.dimension === dimension) ?? { used: 0, granted: 0 }
    const base = limitOf(state.plan, dimension)
    const limit = base === null ? null : base + c.granted
    return {
      dimension,
      used: c.used,
      limit,
      granted: c.granted,
      percent: limit === null ? null : limit === 0 ? 100 : Math.min(100, Math.round((c.used / limit) * 1000) / 10),
      resetsAt: TOTAL_DIMENSIONS.includes(dimension) ? null : state.periodEnd.toISOString(),
      overLimit: limit !== null && c.used >= limit,
    }
  })
  const over = usage.filter((u) => u.limit !== null && u.used > u.limit).map((u) => u.dimension as Dimension)
  const banner: Banner = state.graceEndsAt
    ? { kind: 'past_due', graceEndsAt: state.graceEndsAt.toISOString() }
    : state.lapsed
      ? { kind: 'lapsed' }
      : over.length
        ? { kind: 'over_limit', dimensions: over }
        : null
  return {
    billingEnabled: billing.enabled,
    plan: { id: state.plan.id, name: state.plan.name, membersPerCollection: state.plan.limits.membersPerCollection },
    source: state.source,
    status: state.status,
    interval: state.interval,
    periodStart: state.periodStart.toISOString(),
    periodEnd: state.periodEnd.toISOString(),
    cancelAtPeriodEnd: state.cancelAtPeriodEnd,
    canManageBilling: billing.enabled && Boolean(account?.stripeCustomerId),
    banner,
    usage,
    daily: await q.dailyUsage(db, userId, state.periodStart),
  }
}

// Subscription states in which Stripe would keep charging the customer.
const CHARGING = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete'])

/**
 * Whether a paid subscription would go on renewing: then the account may not be
 * deleted yet (its owner cancels in the Customer Portal first; a subscription
 * set to end at the period's end, or a manual plan, does not block).
 */
export async function hasRenewingSubscription(db: Db, userId: string): Promise<boolean> {
  const account = await q.getAccount(db, userId)
  return Boolean(account?.stripeSubscriptionId && CHARGING.has(account.subscriptionStatus ?? '') && !account.cancelAtPeriodEnd)
}
