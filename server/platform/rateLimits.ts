// Throttling in Postgres, shared by every api instance. A key allows `max` hits
// per window; past that, each further attempt must wait a delay that doubles
// with every hit over the limit (capped at the window), counted from the last hit.
import type { Db } from './db.ts'
import { TooManyRequestsError } from './errors.ts'

export type Limit = { key: string; max: number; windowSeconds: number }

const BASE_DELAY_SECONDS = 30

type Row = { key: string; hits: number; windowStartedAt: Date; lastHitAt: Date; now: Date }

export async function assertUnderLimits(db: Db, limits: Limit[], message?: string): Promise<void> {
  if (!limits.length) return
  const rows = await db<Row[]>`
    select key, hits, window_started_at, last_hit_at, now() as now
    from rate_limits where key in ${db(limits.map((l) => l.key))}`
  let wait = 0
  for (const row of rows) {
    const limit = limits.find((l) => l.key === row.key)!
    const now = row.now.getTime()
    if (now - row.windowStartedAt.getTime() > limit.windowSeconds * 1000) continue
    if (row.hits < limit.max) continue
    const delay = Math.min(limit.windowSeconds, BASE_DELAY_SECONDS * 2 ** (row.hits - limit.max)) * 1000
    const remaining = row.lastHitAt.getTime() + delay - now
    if (remaining > 0) wait = Math.max(wait, Math.ceil(remaining / 1000))
  }
  if (wait > 0) throw new TooManyRequestsError(wait, message)
}

export async function recordHits(db: Db, limits: Limit[]): Promise<void> {
  for (const l of limits) {
    await db`
      insert into rate_limits (key, hits, window_started_at, last_hit_at) values (${l.key}, 1, now(), now())
      on conflict (key) do update set
        hits = case when rate_limits.window_started_at < now() - make_interval(secs => ${l.windowSeconds}) then 1 else rate_limits.hits + 1 end,
        window_started_at = case when rate_limits.window_started_at < now() - make_interval(secs => ${l.windowSeconds}) then now() else rate_limits.window_started_at end,
        last_hit_at = now()`
  }
}

export async function clearLimit(db: Db, key: string): Promise<void> {
  await db`delete from rate_limits where key = ${key}`
}

/** Counts an attempt and refuses it when over the limit (for signups, reset requests). */
export async function consumeLimits(db: Db, limits: Limit[], message?: string): Promise<void> {
  await assertUnderLimits(db, limits, message)
  await recordHits(db, limits)
}

/**
 * A fixed budget per window (50 invited addresses an hour, N requests a minute
 * per API key): spends `cost` in one conditional upsert, so concurrent callers
 * can never overspend, or refuses — spending nothing — with the seconds until
 * the window ends.
 */
export async function spendBudget(db: Db, limit: Limit, cost: number, message?: string): Promise<void> {
  const window = limit.windowSeconds
  if (cost > limit.max) throw new TooManyRequestsError(window, message)
  const [spent] = await db<{ hits: number }[]>`
    insert into rate_limits (key, hits, window_started_at, last_hit_at) values (${limit.key}, ${cost}, now(), now())
    on conflict (key) do update set
      hits = case when rate_limits.window_started_at <= now() - make_interval(secs => ${window}) then excluded.hits else rate_limits.hits + excluded.hits end,
      window_started_at = case when rate_limits.window_started_at <= now() - make_interval(secs => ${window}) then now() else rate_limits.window_started_at end,
      last_hit_at = now()
    where rate_limits.window_started_at <= now() - make_interval(secs => ${window}) or rate_limits.hits + excluded.hits <= ${limit.max}
    returning hits`
  if (spent) return
  const [row] = await db<{ wait: number }[]>`
    select greatest(1, ceil(extract(epoch from window_started_at + make_interval(secs => ${window}) - now())))::int as wait
    from rate_limits where key = ${limit.key}`
  throw new TooManyRequestsError(row?.wait ?? window, message)
}
