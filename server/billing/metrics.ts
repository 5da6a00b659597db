// Billing's metrics, through the OpenTelemetry meter it is given (the api's
// /metrics meter, or the global one in the worker): quota refusals, webhooks
// by outcome, and what the nightly reconciliation checked and fixed.
import { metrics, type Meter } from '@opentelemetry/api'
import type { Dimension } from './model.ts'

export type BillingMetrics = {
  quotaRefused(dimension: Dimension | 'members'): void
  webhook(type: string, outcome: 'accepted' | 'duplicate' | 'rejected'): void
  eventApplied(type: string, outcome: 'applied' | 'ignored' | 'failed'): void
  reconciled(checked: number, drifted: number): void
}

export function createBillingMetrics(meter: Meter = metrics.getMeter('knowledgetree-billing')): BillingMetrics {
  const refusals = meter.createCounter('kt.billing.quota.refusals', { description: 'Requests refused with quota_exceeded, by dimension.' })
  const webhooks = meter.createCounter('kt.billing.webhooks', {
    description: 'Stripe webhook deliveries, by event type and outcome (accepted, duplicate, rejected signature).',
  })
  const events = meter.createCounter('kt.billing.events', {
    description: 'Stored Stripe events applied by the worker, by type and outcome.',
  })
  const checked = meter.createCounter('kt.billing.reconciliation.checked', {
    description: 'Paid accounts compared with Stripe by the reconciliation job.',
  })
  const drift = meter.createCounter('kt.billing.reconciliation.drift', {
    description: 'Accounts whose stored plan differed from Stripe and were fixed.',
  })
  return {
    quotaRefused: (dimension) => refusals.add(1, { dimension }),
    webhook: (type, outcome) => webhooks.add(1, { type, outcome }),
    eventApplied: (type, outcome) => events.add(1, { type, outcome }),
    reconciled(n, drifted) {
      checked.add(n)
      drift.add(drifted)
    },
  }
}
