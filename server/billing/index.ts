// Routes of the billing capability: the public catalogue and sales contact,
// the signed-in user's plan and usage, Checkout, the Customer Portal, invoices,
// and Stripe's webhook.
import { Elysia, t } from 'elysia'
import type { JobQueue } from '../platform/jobQueue.ts'
import { authContext } from '../auth/guard.ts'
import type { Sql } from '../platform/db.ts'
import { ServiceUnavailableError } from '../platform/errors.ts'
import type { Logger } from '../platform/logger.ts'
import { assertUnderLimits, recordHits } from '../platform/rateLimits.ts'
import type { ClientAddress } from '../platform/clientAddress.ts'
import type { Billing } from './billing.ts'
import { CheckoutBody, ContactBody } from './model.ts'
import { billingSummary, publicCatalogue } from './service.ts'
import { listInvoices, openPortal, startCheckout } from './stripeSessions.ts'
import { receiveWebhook } from './webhook.ts'

export type BillingDeps = { sql: Sql; billing: Billing; queue: JobQueue; logger: Logger; clientIp: ClientAddress }

export function billingRoutes(deps: BillingDeps) {
  const { sql, billing } = deps
  return new Elysia({ name: 'billing', prefix: '/api/billing' })
    .use(authContext)
    .get('/plans', () => publicCatalogue(billing), {
      detail: { summary: 'The plans, their limits and prices (public)', tags: ['billing'] },
    })
    .get('/', ({ auth }) => billingSummary(sql, billing, auth.userId), {
      detail: { summary: 'Your plan, its period, usage against each limit and daily usage', tags: ['billing'] },
    })
    .post('/checkout', ({ auth, body }) => startCheckout(sql, billing, auth.userId, body.plan, body.interval ?? 'month'), {
      body: CheckoutBody,
      response: t.Object({ url: t.String(), sessionId: t.String() }),
      detail: { summary: 'Start Stripe Checkout for a plan; open `url`', tags: ['billing'] },
    })
    .post('/portal', ({ auth }) => openPortal(sql, billing, auth.userId), {
      response: t.Object({ url: t.String() }),
      detail: { summary: 'Open the Stripe Customer Portal (change plan, cancel, payment method, invoices)', tags: ['billing'] },
    })
    .get('/invoices', ({ auth }) => listInvoices(sql, billing, auth.userId), {
      detail: { summary: 'Billing history from Stripe', tags: ['billing'] },
    })
    .post(
      '/contact',
      async ({ body, request, set }) => {
        if (!billing.salesEmail)
          throw new ServiceUnavailableError('sales_contact_disabled', 'This server has no sales contact configured (SALES_EMAIL).')
        const limits = [{ key: `sales-contact:${deps.clientIp(request)}`, max: 5, windowSeconds: 3600 }]
        await assertUnderLimits(sql, limits, 'Too many messages from this address. Try again later.')
        await recordHits(sql, limits)
        await deps.queue.send('mail', {
          kind: 'message',
          to: billing.salesEmail,
          subject: `Enterprise enquiry from ${body.name}${body.company ? ` (${body.company})` : ''}`,
          text: `From: ${body.name} <${body.email}>\nCompany: ${body.company ?? '-'}\n\n${body.message}\n`,
        })
        set.status = 202
        return { sent: true }
      },
      { body: ContactBody, detail: { summary: 'Ask sales about the Enterprise plan (public; emails SALES_EMAIL)', tags: ['billing'] } },
    )
    .post(
      '/webhook',
      async ({ request }) => {
        const result = await receiveWebhook(deps, await request.text(), request.headers.get('stripe-signature'))
        return { received: true, duplicate: result.duplicate }
      },
      { detail: { summary: 'Stripe webhook endpoint (signed; public)', tags: ['billing'] } },
    )
}
