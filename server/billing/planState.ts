// Which plan binds a user right now, and the billing period their monthly
// counters belong to: the Stripe subscription's current period for a paid
// plan, the calendar month (UTC) otherwise. past_due keeps the paid plan for
// the grace period, then the account falls back to the default plan.
import { findPlan, type Interval } from './catalogue.ts'
import type { Catalogue, Plan } from './model.ts'
import type { AccountRow } from './sql.ts'

export type BillingSettings = {
  /** Stripe is configured. */
  enabled: boolean
  catalogue: Catalogue
  /** Accounts without a paid or manual plan are on this one. */
  defaultPlan: Plan
  graceDays: number
  publicUrl: string
  /** Told about every refusal (metrics). */
  onRefusal?: (dimension: string) => void
}

export type PlanState = {
  plan: Plan
  source: 'default' | 'stripe' | 'manual'
  periodStart: Date
  periodEnd: Date
  interval: Interval | null
  status: string | null
  cancelAtPeriodEnd: boolean
  /** Set while a failed payment keeps the plan for the grace period. */
  graceEndsAt: Date | null
  /** The paid plan was lost to a failed payment (grace over). */
  lapsed: boolean
}

const DAY_MS = 86_400_000

export function calendarMonth(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))
  return { start, end }
}

function addInterval(date: Date, interval: Interval): Date {
  const d = new Date(date)
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1)
  else d.setUTCMonth(d.getUTCMonth() + 1)
  return d
}

/** The subscription period containing `now`, rolled forward when a renewal has not been heard of yet. */
function subscriptionPeriod(account: AccountRow, now: Date): { start: Date; end: Date } | null {
  if (!account.periodStart || !account.periodEnd) return null
  let start = account.periodStart
  let end = account.periodEnd
  for (let i = 0; end <= now && i < 120; i++) {
    start = end
    end = addInterval(end, account.billingInterval ?? 'month')
  }
  return { start, end }
}

export function planStateOf(account: AccountRow | null, settings: BillingSettings, now = new Date()): PlanState {
  const month = calendarMonth(now)
  const fallback: PlanState = {
    plan: settings.defaultPlan,
    source: 'default',
    periodStart: month.start,
    periodEnd: month.end,
    interval: null,
    status: account?.subscriptionStatus ?? null,
    cancelAtPeriodEnd: false,
    graceEndsAt: null,
    lapsed: false,
  }
  if (!account?.planId) return fallback
  const plan = findPlan(settings.catalogue, account.planId)
  if (!plan) return fallback
  if (account.planSource === 'manual') return { ...fallback, plan, source: 'manual' }
  if (!settings.enabled) return fallback
  const status = account.subscriptionStatus
  let graceEndsAt: Date | null = null
  if (status === 'past_due' && account.pastDueSince) {
    graceEndsAt = new Date(account.pastDueSince.getTime() + settings.graceDays * DAY_MS)
    if (graceEndsAt <= now) return { ...fallback, lapsed: true }
  } else if (status !== 'active' && status !== 'trialing') {
    return fallback
  }
  const period = subscriptionPeriod(account, now) ?? month
  return {
    plan,
    source: 'stripe',
    periodStart: period.start,
    periodEnd: period.end,
    interval: account.billingInterval,
    status,
    cancelAtPeriodEnd: account.cancelAtPeriodEnd,
    graceEndsAt,
    lapsed: false,
  }
}
