// The plan catalogue: one reviewed data file (server/billing/plans.json, or
// the operator's own through PLANS_FILE), checked at start. Each paid plan is
// sold through Stripe Prices found by lookup key (`kt_<plan>_monthly|yearly`),
// so the same file works in test and live mode. `unlimited` is built in: the
// self-hosted default, with no limits and nothing to sell.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Value } from '@sinclair/typebox/value'
import { Catalogue as CatalogueSchema, type Catalogue, type Dimension, type Plan } from './model.ts'

export const DEFAULT_PLANS_FILE = join(import.meta.dir, 'plans.json')
export const UNLIMITED_PLAN_ID = 'unlimited'

export const UNLIMITED: Plan = {
  id: UNLIMITED_PLAN_ID,
  name: 'Unlimited',
  description: 'No limits (billing is off).',
  monthlyCents: 0,
  yearlyCents: 0,
  limits: { videos: null, minutes: null, messages: null, storageBytes: null, membersPerCollection: null },
}

export type Interval = 'month' | 'year'

export function lookupKey(planId: string, interval: Interval): string {
  return `kt_${planId}_${interval === 'month' ? 'monthly' : 'yearly'}`
}

/** Reads a lookup key back: `kt_pro_yearly` -> { planId: 'pro', interval: 'year' }. */
export function parseLookupKey(key: string | null | undefined): { planId: string; interval: Interval } | null {
  const m = /^kt_([a-z0-9-]+)_(monthly|yearly)$/.exec(key ?? '')
  return m ? { planId: m[1]!, interval: m[2] === 'monthly' ? 'month' : 'year' } : null
}

export class CatalogueError extends Error {}

export function parseCatalogue(json: unknown, source: string): Catalogue {
  if (!Value.Check(CatalogueSchema, json)) {
    const first = [...Value.Errors(CatalogueSchema, json)][0]
    throw new CatalogueError(`${source}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'not a plan catalogue'}`)
  }
  const ids = new Set<string>()
  for (const plan of json.plans) {
    if (plan.id === UNLIMITED_PLAN_ID) throw new CatalogueError(`${source}: the plan id "unlimited" is built in`)
    if (ids.has(plan.id)) throw new CatalogueError(`${source}: plan "${plan.id}" appears twice`)
    ids.add(plan.id)
  }
  if (!ids.has('free')) throw new CatalogueError(`${source}: a "free" plan is required (accounts without a subscription are on it)`)
  return json
}

export function loadCatalogue(path = DEFAULT_PLANS_FILE): Catalogue {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new CatalogueError(`${path}: ${err instanceof Error ? err.message : String(err)}`)
  }
  return parseCatalogue(json, path)
}

/** The plan with this id, `unlimited`, or undefined. */
export function findPlan(catalogue: Catalogue, id: string): Plan | undefined {
  return id === UNLIMITED_PLAN_ID ? UNLIMITED : catalogue.plans.find((p) => p.id === id)
}

export function limitOf(plan: Plan, dimension: Dimension): number | null {
  return plan.limits[dimension === 'storage_bytes' ? 'storageBytes' : dimension]
}
