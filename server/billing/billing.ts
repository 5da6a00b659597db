// Billing as the rest of the product sees it: the settings (catalogue, default
// plan, grace period) and, when STRIPE_SECRET_KEY is set, the Stripe client.
// Without a key nothing here ever calls Stripe.
import { resolve } from 'node:path'
import type { Config } from '../platform/config.ts'
import { findPlan, loadCatalogue, UNLIMITED_PLAN_ID } from './catalogue.ts'
import { createBillingMetrics, type BillingMetrics } from './metrics.ts'
import type { BillingSettings } from './planState.ts'
import type { Meter } from '@opentelemetry/api'
import { createStripe, type Stripe } from './stripeClient.ts'

/** Relative PLANS_FILE paths are read from the repository root, wherever the process starts. */
const REPO_ROOT = resolve(import.meta.dir, '../..')

export type Billing = BillingSettings & {
  stripe: Stripe | null
  webhookSecret: string | null
  salesEmail: string | null
  /** Stripe Price ids by lookup key, read once per process (prices are immutable). */
  priceIds: Map<string, string>
  metrics: BillingMetrics
}

/** `meter`: where billing's metrics go (the api's /metrics meter); default the global OpenTelemetry meter. */
export function createBilling(config: Config, meter?: Meter): Billing {
  const catalogue = loadCatalogue(resolve(REPO_ROOT, config.PLANS_FILE))
  const enabled = Boolean(config.STRIPE_SECRET_KEY)
  const defaultId = config.DEFAULT_PLAN ?? (enabled ? 'free' : UNLIMITED_PLAN_ID)
  const defaultPlan = findPlan(catalogue, defaultId)
  if (!defaultPlan)
    throw new Error(
      `DEFAULT_PLAN "${defaultId}" is not in the plan catalogue (${config.PLANS_FILE}); plans: unlimited, ${catalogue.plans.map((p) => p.id).join(', ')}.`,
    )
  const metrics = createBillingMetrics(meter)
  return {
    enabled,
    catalogue,
    defaultPlan,
    graceDays: config.BILLING_GRACE_DAYS,
    publicUrl: config.PUBLIC_URL,
    stripe: enabled ? createStripe(config.STRIPE_SECRET_KEY!, config.STRIPE_API_URL) : null,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? null,
    salesEmail: config.SALES_EMAIL ?? null,
    priceIds: new Map(),
    metrics,
    onRefusal: (dimension) => metrics.quotaRefused(dimension as never),
  }
}

const perConfig = new WeakMap<Config, Billing>()

/** One Billing per configuration (the worker's handlers share it). */
export function billingFor(config: Config): Billing {
  let billing = perConfig.get(config)
  if (!billing) perConfig.set(config, (billing = createBilling(config)))
  return billing
}
