// Billing's queries: accounts, counters (the conditional update quotas rest
// on), the ledger, reservations and stored Stripe events.
import type { Db, SqlStep } from '../platform/db.ts'
import type { Dimension } from './model.ts'

export type AccountRow = {
  userId: string
  stripeCustomerId: string | null
  planId: string | null
  planSource: 'stripe' | 'manual' | null
  billingInterval: 'month' | 'year' | null
  stripeSubscriptionId: string | null
  subscriptionStatus: string | null
  periodStart: Date | null
  periodEnd: Date | null
  cancelAtPeriodEnd: boolean
  pastDueSince: Date | null
  stripeSyncedAt: Date | null
}

const ACCOUNT_COLUMNS =
  'user_id, stripe_customer_id, plan_id, plan_source, billing_interval, stripe_subscription_id, subscription_status, period_start, period_end, cancel_at_period_end, past_due_since, stripe_synced_at'

export async function getAccount(db: Db, userId: string, options: { forUpdate?: boolean } = {}): Promise<AccountRow | null> {
  const rows = await db.unsafe<AccountRow[]>(
    `select ${ACCOUNT_COLUMNS} from billing_accounts where user_id = $1${options.forUpdate ? ' for update' : ''}`,
    [userId],
  )
  return rows[0] ?? null
}

export async function getAccountByCustomer(db: Db, customerId: string): Promise<AccountRow | null> {
  const rows = await db.unsafe<AccountRow[]>(`select ${ACCOUNT_COLUMNS} from billing_accounts where stripe_customer_id = $1`, [customerId])
  return rows[0] ?? null
}

/** Links a Stripe customer to a user once; a second link keeps the first. Returns the customer id in force. */
export async function linkCustomer(db: Db, userId: string, customerId: string): Promise<string> {
  // Two first checkouts at once (a double click) link the same customer: `on conflict (user_id)`
  // would arbitrate on user_id only, and the second insert then fails on the unique customer id
  // of the first. Insert-or-nothing on any conflict, then keep whichever customer is linked.
  await db`insert into billing_accounts (user_id, stripe_customer_id) values (${userId}, ${customerId}) on conflict do nothing`
  const [row] = await db<{ stripeCustomerId: string }[]>`
    update billing_accounts set stripe_customer_id = coalesce(stripe_customer_id, ${customerId})
    where user_id = ${userId}
    returning stripe_customer_id`
  return row!.stripeCustomerId
}

export type SubscriptionState = {
  planId: string | null
  interval: 'month' | 'year' | null
  subscriptionId: string | null
  status: string | null
  periodStart: Date | null
  periodEnd: Date | null
  cancelAtPeriodEnd: boolean
}

/** Writes what Stripe says now. past_due_since starts at the first past_due and clears once paid. */
export async function saveSubscriptionState(db: Db, userId: string, s: SubscriptionState): Promise<void> {
  await db`
    insert into billing_accounts (user_id) values (${userId}) on conflict (user_id) do nothing`
  await db`
    update billing_accounts set
      plan_id = case when plan_source = 'manual' then plan_id else ${s.planId} end,
      plan_source = case when plan_source = 'manual' then plan_source when ${s.planId}::text is null then null else 'stripe' end,
      billing_interval = ${s.interval},
      stripe_subscription_id = ${s.subscriptionId},
      subscription_status = ${s.status},
      period_start = ${s.periodStart},
      period_end = ${s.periodEnd},
      cancel_at_period_end = ${s.cancelAtPeriodEnd},
      past_due_since = case when ${s.status}::text = 'past_due' then coalesce(past_due_since, now()) else null end,
      stripe_synced_at = now(),
      updated_at = now()
    where user_id = ${userId}`
}

export async function setManualPlan(db: Db, userId: string, planId: string | null): Promise<void> {
  await db`insert into billing_accounts (user_id) values (${userId}) on conflict (user_id) do nothing`
  await db`
    update billing_accounts set plan_id = ${planId}, plan_source = ${planId === null ? null : 'manual'}, updated_at = now()
    where user_id = ${userId}`
}

export type CounterRow = { used: number; granted: number }

function period(start: Date | null): string {
  return start === null ? '-infinity' : start.toISOString()
}

export async function ensureCounter(db: Db, userId: string, dimension: Dimension, start: Date | null): Promise<void> {
  await db`insert into usage_counters (user_id, dimension, period_start) values (${userId}, ${dimension}, ${period(start)}::text::timestamptz) on conflict do nothing`
}

/**
 * Adds `amount` if it fits: `used + amount <= limit + granted`, decided by the
 * row lock inside Postgres, so concurrent requests can never overshoot.
 * `limit` null adds unconditionally. Returns the new figures, or null when refused.
 */
export async function addToCounter(
  db: Db,
  userId: string,
  dimension: Dimension,
  start: Date | null,
  amount: number,
  limit: number | null,
): Promise<CounterRow | null> {
  const rows = await db<{ used: string; granted: string }[]>`
    update usage_counters set used = greatest(used + ${amount}::bigint, 0)
    where user_id = ${userId} and dimension = ${dimension} and period_start = ${period(start)}::text::timestamptz
      and (${limit}::bigint is null or ${amount}::bigint <= 0 or used + ${amount}::bigint <= ${limit}::bigint + granted)
    returning used, granted`
  return rows[0] ? { used: Number(rows[0].used), granted: Number(rows[0].granted) } : null
}

/**
 * `addToCounter` for a first use, with the reservation and its ledger row, in
 * one statement: creates the period's row if the amount fits a fresh
 * allowance, else adds under the same condition as the update (the conflict
 * takes the row lock, so racing requests still queue up). Refused: null, and
 * nothing is written (the reservation and the ledger row are made from the
 * counter row the take returned, atomically with it).
 */
export async function takeAllowance(
  db: Db,
  e: Omit<LedgerEntry, 'actorId'> & { status: 'held' | 'settled' },
  limit: number | null,
): Promise<(CounterRow & { reservationId: string }) | null> {
  const start = period(e.start)
  const rows = await db<{ used: string; granted: string; reservationId: string }[]>`
    with taken as (
      insert into usage_counters as c (user_id, dimension, period_start, used)
      select ${e.userId}, ${e.dimension}, ${start}::text::timestamptz, ${e.amount}::bigint
      where ${limit}::bigint is null or ${e.amount}::bigint <= ${limit}::bigint
         or exists (select 1 from usage_counters where user_id = ${e.userId} and dimension = ${e.dimension} and period_start = ${start}::text::timestamptz)
      on conflict (user_id, dimension, period_start) do update set used = c.used + excluded.used
      where ${limit}::bigint is null or c.used + excluded.used <= ${limit}::bigint + c.granted
      returning used, granted
    ), r as (
      insert into usage_reservations (user_id, dimension, period_start, amount, reference, status, closed_at)
      select ${e.userId}, ${e.dimension}, ${start}::text::timestamptz, ${e.amount}::bigint, ${e.reference}, ${e.status}, ${e.status === 'held' ? null : new Date()}
      from taken
      returning id
    ), ledger as (
      insert into usage_ledger (user_id, dimension, period_start, amount, kind, reference, reason)
      select ${e.userId}, ${e.dimension}, ${start}::text::timestamptz, ${e.amount}::bigint, ${e.kind}, ${e.reference}, ${e.reason}
      from taken
    )
    select used, granted, (select id from r) as reservation_id from taken`
  const row = rows[0]
  return row ? { used: Number(row.used), granted: Number(row.granted), reservationId: row.reservationId } : null
}

export async function getCounter(db: Db, userId: string, dimension: Dimension, start: Date | null): Promise<CounterRow> {
  const [row] = await db<{ used: string; granted: string }[]>`
    select used, granted from usage_counters where user_id = ${userId} and dimension = ${dimension} and period_start = ${period(start)}::text::timestamptz`
  return { used: Number(row?.used ?? 0), granted: Number(row?.granted ?? 0) }
}

export async function grantQuota(db: Db, userId: string, dimension: Dimension, start: Date | null, amount: number): Promise<void> {
  await ensureCounter(db, userId, dimension, start)
  await db`update usage_counters set granted = granted + ${amount}::bigint where user_id = ${userId} and dimension = ${dimension} and period_start = ${period(start)}::text::timestamptz`
}

export type LedgerEntry = {
  userId: string
  dimension: Dimension
  start: Date | null
  amount: number
  kind: string
  reference: string | null
  reason: string
  actorId?: string | null
}

export async function insertLedger(db: Db, e: LedgerEntry): Promise<void> {
  await db`
    insert into usage_ledger (user_id, dimension, period_start, amount, kind, reference, reason, actor_id)
    values (${e.userId}, ${e.dimension}, ${period(e.start)}::text::timestamptz, ${e.amount}::bigint, ${e.kind}, ${e.reference}, ${e.reason}, ${e.actorId ?? null})`
}

export type ClosedReservation = { userId: string; dimension: Dimension; periodStart: Date | null; amount: number; reference: string | null }

/** Closes a held reservation exactly once; null when it was already settled or refunded. */
export async function closeReservation(db: Db, id: string, status: 'settled' | 'refunded'): Promise<ClosedReservation | null> {
  const [row] = await db<
    { userId: string; dimension: Dimension; periodStart: Date; amount: string; reference: string | null; isTotal: boolean }[]
  >`
    update usage_reservations set status = ${status}, closed_at = now()
    where id = ${id} and status = 'held'
    returning user_id, dimension, period_start, amount, reference, period_start = '-infinity' as is_total`
  if (!row) return null
  return {
    userId: row.userId,
    dimension: row.dimension,
    periodStart: row.isTotal ? null : row.periodStart,
    amount: Number(row.amount),
    reference: row.reference,
  }
}

/** A message's reservation learns the stream it pays for (see quotaGate's `bind`). */
/** Not sent until awaited or nested in another statement (SqlStep). */
export function bindReservation(db: Db, id: string, streamId: string): SqlStep {
  return db`update usage_reservations set reference = ${streamId} where id = ${id} and status = 'held'`
}

/** Held message reservations nothing will close: never tied to a stream (the api died in between) or older than a day. */
export async function staleHeldMessages(db: Db): Promise<{ id: string; reference: string | null }[]> {
  return db<{ id: string; reference: string | null }[]>`
    select id, reference from usage_reservations
    where status = 'held' and dimension = 'messages'
      and (reference is null and created_at < now() - interval '1 hour' or created_at < now() - interval '1 day')
    limit 1000`
}

export async function heldReservations(db: Db, reference: string): Promise<{ id: string; dimension: Dimension }[]> {
  return db<
    { id: string; dimension: Dimension }[]
  >`select id, dimension from usage_reservations where reference = ${reference} and status = 'held'`
}

/** What a reference still holds of the total dimensions (videos, storage), per user, to release on delete. */
export async function heldTotals(
  db: Db,
  reference: string,
): Promise<{ userId: string; dimension: Dimension; amount: number; reference: string }[]> {
  const rows = await db<{ userId: string; dimension: Dimension; amount: string; reference: string }[]>`
    select user_id, dimension, reference, sum(amount) as amount from usage_ledger
    where reference in (${reference}, ${`${reference}:transcript`}) and period_start = '-infinity'
    group by user_id, dimension, reference having sum(amount) > 0`
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }))
}

export async function listCounters(
  db: Db,
  userId: string,
  start: Date,
): Promise<{ dimension: Dimension; used: number; granted: number }[]> {
  const rows = await db<{ dimension: Dimension; used: string; granted: string }[]>`
    select dimension, used, granted from usage_counters
    where user_id = ${userId} and (period_start = '-infinity' or period_start = ${start})`
  return rows.map((r) => ({ dimension: r.dimension, used: Number(r.used), granted: Number(r.granted) }))
}

/** Messages and minutes per day of the period, for the usage chart. */
export async function dailyUsage(db: Db, userId: string, start: Date): Promise<{ day: string; dimension: Dimension; amount: number }[]> {
  const rows = await db<{ day: string; dimension: Dimension; amount: string }[]>`
    select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, dimension, sum(amount) as amount
    from usage_ledger where user_id = ${userId} and period_start = ${start} and dimension in ('messages', 'minutes')
    group by 1, 2 order by 1`
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }))
}

export async function insertAudit(db: Db, userId: string, action: string, detail: Record<string, unknown>, actor: string): Promise<void> {
  await db`insert into billing_audit (user_id, action, detail, actor) values (${userId}, ${action}, ${db.json(detail as never)}, ${actor})`
}

export type PastDueAccount = { userId: string; email: string; planId: string | null; pastDueSince: Date }

export async function listPastDueAccounts(db: Db): Promise<PastDueAccount[]> {
  return db<PastDueAccount[]>`
    select b.user_id, u.email, b.plan_id, b.past_due_since from billing_accounts b join users u on u.id = b.user_id
    where b.past_due_since is not null order by b.past_due_since`
}

export type StripeEventRow = {
  id: string
  type: string
  payload: { data?: { object?: Record<string, unknown> } }
  processedAt: Date | null
}

/** Stores a verified webhook event once; false when its id was seen before. */
export async function insertStripeEvent(db: Db, event: { id: string; type: string; created: number }): Promise<boolean> {
  const rows = await db`
    insert into stripe_events (id, type, stripe_created_at, payload)
    values (${event.id}, ${event.type}, to_timestamp(${event.created}), ${db.json(event as never)})
    on conflict (id) do nothing returning id`
  return rows.length > 0
}

export async function getStripeEvent(db: Db, eventId: string): Promise<StripeEventRow | undefined> {
  const [event] = await db<StripeEventRow[]>`select id, type, payload, processed_at from stripe_events where id = ${eventId}`
  return event
}

export async function markStripeEventProcessed(db: Db, eventId: string): Promise<void> {
  await db`update stripe_events set processed_at = now(), error = null where id = ${eventId}`
}

/** A page of the accounts that have a Stripe customer, in customer id order after `after`. */
export async function listStripeCustomersAfter(db: Db, after: string, limit: number): Promise<{ stripeCustomerId: string }[]> {
  return db<{ stripeCustomerId: string }[]>`
    select stripe_customer_id from billing_accounts where stripe_customer_id > ${after} order by stripe_customer_id limit ${limit}`
}
