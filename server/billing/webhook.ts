// POST /api/billing/webhook: the signature is checked over the raw bytes, the
// event is stored by id (a replay or duplicate stores nothing new) together
// with its job, and Stripe gets its 200 at once; the worker applies it.
import type { JobQueue } from '../platform/jobQueue.ts'
import type { Sql } from '../platform/db.ts'
import { BadRequestError, ServiceUnavailableError } from '../platform/errors.ts'
import type { Logger } from '../platform/logger.ts'
import type { Billing } from './billing.ts'
import * as q from './sql.ts'
import { verifyWebhook, type Stripe } from './stripeClient.ts'

export async function receiveWebhook(
  deps: { sql: Sql; billing: Billing; queue: JobQueue; logger: Logger },
  rawBody: string,
  signature: string | null,
): Promise<{ duplicate: boolean }> {
  const { billing } = deps
  if (!billing.stripe || !billing.webhookSecret)
    throw new ServiceUnavailableError('billing_disabled', 'Billing is not configured on this server.')
  if (!signature) throw new BadRequestError('webhook_signature_missing', 'The Stripe-Signature header is missing.')
  let event: Stripe.Event
  try {
    event = await verifyWebhook(billing.stripe, rawBody, signature, billing.webhookSecret)
  } catch (err) {
    billing.metrics.webhook('unknown', 'rejected')
    deps.logger.warn('stripe webhook refused', { reason: err instanceof Error ? err.message : String(err) })
    throw new BadRequestError(
      'webhook_signature_invalid',
      'The Stripe signature does not match this body, or its timestamp is more than 300 seconds old.',
    )
  }
  const stored = await deps.sql.begin(async (tx) => {
    const inserted = await q.insertStripeEvent(tx, event)
    if (inserted) await deps.queue.send('stripe-event', { eventId: event.id }, { tx, singletonKey: event.id })
    return inserted
  })
  billing.metrics.webhook(event.type, stored ? 'accepted' : 'duplicate')
  return { duplicate: !stored }
}
