// billing-reconcile (nightly): compares every paid account with Stripe and fixes drift.
import { reconcileAccounts } from '../../server/billing/applyEvent.ts'
import { billingFor } from '../../server/billing/billing.ts'
import type { JobHandler } from '../worker.ts'

export const billingReconcile: JobHandler<'billing-reconcile'> = async (_data, { sql, config, logger, signal }) => {
  const billing = billingFor(config)
  if (!billing.enabled) return
  const result = await reconcileAccounts(sql, billing, logger, signal)
  logger.info('billing reconciliation done', result)
}
