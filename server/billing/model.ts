// Schemas of the plan catalogue and of the billing API; types come from them.
import { t } from 'elysia'

const Limit = t.Union([t.Integer({ minimum: 0 }), t.Null()], { description: 'null: unlimited' })

export const Limits = t.Object(
  {
    videos: Limit,
    minutes: Limit,
    messages: Limit,
    storageBytes: Limit,
    membersPerCollection: Limit,
  },
  { additionalProperties: false },
)

export const Plan = t.Object(
  {
    id: t.String({ pattern: '^[a-z0-9-]{1,30}$' }),
    name: t.String({ minLength: 1, maxLength: 60 }),
    description: t.String({ maxLength: 300 }),
    monthlyCents: t.Integer({ minimum: 0 }),
    yearlyCents: t.Integer({ minimum: 0 }),
    contactSales: t.Optional(t.Boolean()),
    limits: Limits,
  },
  { additionalProperties: false },
)
export type Plan = typeof Plan.static

export const Catalogue = t.Object(
  {
    version: t.String({ minLength: 1 }),
    currency: t.String({ pattern: '^[a-z]{3}$' }),
    plans: t.Array(Plan, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type Catalogue = typeof Catalogue.static

/** What a quota counts. Videos and storage are totals; minutes and messages are per billing period. */
export const DIMENSIONS = ['videos', 'minutes', 'messages', 'storage_bytes'] as const
export type Dimension = (typeof DIMENSIONS)[number]
export const TOTAL_DIMENSIONS: readonly Dimension[] = ['videos', 'storage_bytes']

export const Interval = t.Union([t.Literal('month'), t.Literal('year')])

export const CheckoutBody = t.Object({ plan: t.String({ pattern: '^[a-z0-9-]{1,30}$' }), interval: t.Optional(Interval) })
export const ContactBody = t.Object({
  name: t.String({ minLength: 1, maxLength: 200 }),
  email: t.String({ format: 'email', maxLength: 320 }),
  company: t.Optional(t.String({ maxLength: 200 })),
  message: t.String({ minLength: 1, maxLength: 5000 }),
})

export const UsageView = t.Object({
  dimension: t.String(),
  used: t.Number(),
  limit: t.Union([t.Number(), t.Null()]),
  granted: t.Number(),
  percent: t.Union([t.Number(), t.Null()]),
  resetsAt: t.Union([t.String(), t.Null()]),
  overLimit: t.Boolean(),
})
export type UsageView = typeof UsageView.static
