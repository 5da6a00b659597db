// stripe-event: applies one stored Stripe webhook event (see server/billing/applyEvent.ts).
import { applyStripeEvent } from '../../server/billing/applyEvent.ts'
import { billingFor } from '../../server/billing/billing.ts'
import type { JobHandler } from '../worker.ts'

export const stripeEvent: JobHandler<'stripe-event'> = async ({ eventId }, { sql, config, logger }) => {
  await applyStripeEvent(sql, billingFor(config), logger, eventId)
}
