// Configuration of billing: the Stripe keys that turn it on, the plan
// catalogue and default plan, grace days and the sales contact.
import { email, int, planId, prefixed, str, stripeKey, url, type Spec } from './parsers.ts'

export const billingSpec = {
  STRIPE_SECRET_KEY: {
    description:
      'Stripe secret key (`sk_live_…`, `sk_test_…` or a restricted `rk_…` key). Set: billing is on (plans, Checkout, Customer Portal, quotas per plan). Unset: billing is off and nothing calls Stripe.',
    allowed: 'a Stripe secret or restricted key',
    parse: stripeKey,
    optional: true,
    secret: true,
  },
  STRIPE_WEBHOOK_SECRET: {
    description:
      'Signing secret of the webhook endpoint `$PUBLIC_URL/api/billing/webhook` (`whsec_…`, shown in the Stripe Dashboard). Required with `STRIPE_SECRET_KEY`.',
    allowed: 'a string starting with whsec_',
    parse: prefixed('whsec_'),
    optional: true,
    secret: true,
  },
  STRIPE_API_URL: {
    description: 'Where the Stripe API is reached (change only for a test double such as `testing/stripe`).',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  DEFAULT_PLAN: {
    description:
      'Plan of every account without a subscription: `unlimited` (no quotas) or a plan id from the catalogue. Default: `unlimited` when billing is off, `free` when it is on.',
    allowed: 'unlimited or a plan id from the catalogue',
    parse: planId,
    optional: true,
  },
  PLANS_FILE: {
    description:
      'The plan catalogue (plans, prices, limits) as JSON; copy `server/billing/plans.json` to change it, then run `make stripe-sync`.',
    allowed: 'a file path',
    parse: str,
    default: 'server/billing/plans.json',
  },
  BILLING_GRACE_DAYS: {
    description: 'Days a past-due subscription keeps its plan before the account falls back to the default plan.',
    allowed: 'an integer from 0 to 60',
    parse: int(0, 60),
    default: 7,
  },
  SALES_EMAIL: {
    description: 'Where the pricing page’s Enterprise contact form is emailed. Unset: the form is not offered.',
    allowed: 'an email address',
    parse: email,
    optional: true,
  },
} satisfies Record<string, Spec<unknown>>
