// Which plan binds an account: subscription status, the grace period after a
// failed payment, periods rolled forward, manual plans, billing off.
import { describe, expect, test } from 'bun:test'
import { loadCatalogue, UNLIMITED } from './catalogue.ts'
import { planStateOf, type BillingSettings } from './planState.ts'
import type { AccountRow } from './sql.ts'

const catalogue = loadCatalogue()
const settings: BillingSettings = { enabled: true, catalogue, defaultPlan: catalogue.plans[0]!, graceDays: 7, publicUrl: 'http://x' }
const now = new Date('2026-06-20T12:00:00Z')
const account = (over: Partial<AccountRow>): AccountRow => ({
  userId: 'u',
  stripeCustomerId: 'cus_1',
  planId: 'starter',
  planSource: 'stripe',
  billingInterval: 'month',
  stripeSubscriptionId: 'sub_1',
  subscriptionStatus: 'active',
  periodStart: new Date('2026-06-03T08:00:00Z'),
  periodEnd: new Date('2026-07-03T08:00:00Z'),
  cancelAtPeriodEnd: false,
  pastDueSince: null,
  stripeSyncedAt: null,
  ...over,
})

describe('planStateOf', () => {
  test('an active subscription binds its plan and its own period', () => {
    const s = planStateOf(account({}), settings, now)
    expect([s.plan.id, s.source, s.periodStart.toISOString(), s.periodEnd.toISOString()]).toEqual([
      'starter',
      'stripe',
      '2026-06-03T08:00:00.000Z',
      '2026-07-03T08:00:00.000Z',
    ])
  })

  test('no subscription: the default plan over the calendar month in UTC', () => {
    const s = planStateOf(null, settings, now)
    expect([s.plan.id, s.periodStart.toISOString(), s.periodEnd.toISOString()]).toEqual([
      'free',
      '2026-06-01T00:00:00.000Z',
      '2026-07-01T00:00:00.000Z',
    ])
  })

  test('past_due keeps the plan for the grace period, then falls back to Free', () => {
    const inGrace = planStateOf(account({ subscriptionStatus: 'past_due', pastDueSince: new Date('2026-06-15T00:00:00Z') }), settings, now)
    expect([inGrace.plan.id, inGrace.graceEndsAt?.toISOString()]).toEqual(['starter', '2026-06-22T00:00:00.000Z'])
    const after = planStateOf(account({ subscriptionStatus: 'past_due', pastDueSince: new Date('2026-06-10T00:00:00Z') }), settings, now)
    expect([after.plan.id, after.lapsed]).toEqual(['free', true])
  })

  test('canceled or unpaid subscriptions bind nothing', () => {
    for (const status of ['canceled', 'unpaid', 'incomplete_expired'])
      expect(planStateOf(account({ subscriptionStatus: status }), settings, now).plan.id).toBe('free')
  })

  test('a renewal not heard of yet rolls the period forward', () => {
    const s = planStateOf(
      account({ periodStart: new Date('2026-04-03T08:00:00Z'), periodEnd: new Date('2026-05-03T08:00:00Z') }),
      settings,
      now,
    )
    expect(s.periodStart.toISOString()).toBe('2026-06-03T08:00:00.000Z')
  })

  test('a manual plan wins, even with billing off; otherwise billing off means the default plan', () => {
    const off = { ...settings, enabled: false, defaultPlan: UNLIMITED }
    expect(planStateOf(account({ planSource: 'manual', planId: 'pro' }), off, now).plan.id).toBe('pro')
    expect(planStateOf(account({}), off, now).plan.id).toBe('unlimited')
  })
})
