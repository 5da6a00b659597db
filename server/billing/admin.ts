// Operator actions behind `bun scripts/admin.ts`: show a user's plan and usage,
// set a plan by hand (Enterprise deals, comps), grant extra quota for the
// current period, list past-due accounts. Every change is written to billing_audit.
import type { Sql } from '../platform/db.ts'
import type { Billing } from './billing.ts'
import { findPlan } from './catalogue.ts'
import { DIMENSIONS, TOTAL_DIMENSIONS, type Dimension } from './model.ts'
import { planStateFor } from './quotas.ts'
import { billingSummary } from './service.ts'
import * as q from './sql.ts'

export class AdminError extends Error {}

export async function showUser(sql: Sql, billing: Billing, userId: string) {
  return billingSummary(sql, billing, userId)
}

/** `planId` null returns the account to its Stripe plan or the default. */
export async function setPlan(sql: Sql, billing: Billing, userId: string, planId: string | null, actor: string): Promise<void> {
  if (planId !== null && !findPlan(billing.catalogue, planId))
    throw new AdminError(`No plan "${planId}"; plans: unlimited, ${billing.catalogue.plans.map((p) => p.id).join(', ')}.`)
  await sql.begin(async (tx) => {
    const before = await q.getAccount(tx, userId, { forUpdate: true })
    await q.setManualPlan(tx, userId, planId)
    await q.insertAudit(tx, userId, 'set_plan', { from: before?.planSource === 'manual' ? before.planId : null, to: planId }, actor)
  })
}

export async function grant(sql: Sql, billing: Billing, userId: string, dimension: string, amount: number, actor: string): Promise<void> {
  if (!(DIMENSIONS as readonly string[]).includes(dimension)) throw new AdminError(`Dimension must be one of ${DIMENSIONS.join(', ')}.`)
  if (!Number.isInteger(amount) || amount <= 0) throw new AdminError('The amount must be a positive whole number.')
  const state = await planStateFor(sql, billing, userId)
  const start = TOTAL_DIMENSIONS.includes(dimension as Dimension) ? null : state.periodStart
  await sql.begin(async (tx) => {
    await q.grantQuota(tx, userId, dimension as Dimension, start, amount)
    await q.insertAudit(tx, userId, 'grant', { dimension, amount, periodStart: start?.toISOString() ?? 'total' }, actor)
  })
}

export async function listPastDue(sql: Sql): Promise<q.PastDueAccount[]> {
  return q.listPastDueAccounts(sql)
}
