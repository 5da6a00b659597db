// Applies one stored Stripe event (the stripe-event job). Events are hints, not
// state: the customer's subscriptions are re-read from Stripe, so an event
// delivered late, twice or out of order can never put an older state back.
import { getUserEmail } from '../auth/service.ts'
import type { Sql } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import type { Billing } from './billing.ts'
import * as q from './sql.ts'
import { syncCustomer } from './syncCustomer.ts'

export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value
  const id = (value as { id?: unknown } | null)?.id
  return typeof id === 'string' ? id : null
}

export async function applyStripeEvent(sql: Sql, billing: Billing, logger: Logger, eventId: string): Promise<void> {
  const event = await q.getStripeEvent(sql, eventId)
  if (!event || event.processedAt) return
  const object = event.payload.data?.object ?? {}
  const customerId = idOf(object.customer)
  let outcome: 'applied' | 'ignored' = 'ignored'
  if ((HANDLED_EVENTS as readonly string[]).includes(event.type) && customerId) {
    // Checkout names our user; link the customer if this user has none yet.
    const userId = event.type === 'checkout.session.completed' ? object.client_reference_id : null
    if (typeof userId === 'string' && UUID.test(userId) && (await userExists(sql, userId))) await q.linkCustomer(sql, userId, customerId)
    const result = await syncCustomer(sql, billing, customerId)
    if (result) {
      outcome = 'applied'
      if (result.changed)
        logger.info('billing plan changed', {
          userId: result.userId,
          plan: result.after.planId,
          status: result.after.status,
          event: event.type,
          eventId,
        })
    } else logger.warn('stripe event for a customer we do not know', { eventId, type: event.type, customerId })
  }
  await q.markStripeEventProcessed(sql, eventId)
  billing.metrics.eventApplied(event.type, outcome)
}

async function userExists(sql: Sql, userId: string): Promise<boolean> {
  return (await getUserEmail(sql, userId)) !== null
}

/** Nightly: every account with a Stripe customer is compared with Stripe and fixed where it drifted. */
export async function reconcileAccounts(
  sql: Sql,
  billing: Billing,
  logger: Logger,
  signal?: AbortSignal,
): Promise<{ checked: number; drifted: number; failed: number }> {
  let checked = 0
  let drifted = 0
  let failed = 0
  let after = ''
  for (;;) {
    const page = await q.listStripeCustomersAfter(sql, after, 100)
    if (!page.length || signal?.aborted) break
    for (const { stripeCustomerId } of page) {
      try {
        const result = await syncCustomer(sql, billing, stripeCustomerId)
        checked++
        if (result?.changed) {
          drifted++
          logger.warn('billing drift fixed', {
            userId: result.userId,
            was: { plan: result.before?.planId ?? null, status: result.before?.subscriptionStatus ?? null },
            now: { plan: result.after.planId, status: result.after.status },
          })
        }
      } catch (err) {
        failed++
        logger.error('reconciliation failed for a customer', { customerId: stripeCustomerId, err })
      }
    }
    after = page.at(-1)!.stripeCustomerId
  }
  billing.metrics.reconciled(checked, drifted)
  return { checked, drifted, failed }
}
