// Reserve, settle, refund and release usage. Every change is one ledger row
// plus the counter, in the same transaction; a reservation is closed exactly
// once (a conditional update on its status), so nothing is charged or refunded
// twice, however often a job or a request is retried.
import type { Db, Sql, TransactionSql } from '../platform/db.ts'
import { AppError } from '../platform/errors.ts'
import { limitOf } from './catalogue.ts'
import { TOTAL_DIMENSIONS, type Dimension } from './model.ts'
import { planStateOf, type BillingSettings, type PlanState } from './planState.ts'
import * as q from './sql.ts'

const NAMES: Record<Dimension, string> = {
  videos: 'videos',
  minutes: 'transcription minutes',
  messages: 'chat messages',
  storage_bytes: 'bytes of storage',
}

/**
 * Over a limit. 402 Payment Required, not 429: waiting does not help (except for
 * the next period), upgrading does; 429 stays reserved for throttling with Retry-After.
 */
export class QuotaExceededError extends AppError {
  constructor(args: {
    dimension: Dimension | 'members'
    limit: number
    used: number
    requested: number
    resetsAt: Date | null
    plan: string
    upgradeUrl: string
  }) {
    const name = args.dimension === 'members' ? 'members in this collection' : NAMES[args.dimension]
    const when = args.resetsAt ? ` It resets on ${args.resetsAt.toISOString().slice(0, 10)}.` : ''
    super(
      402,
      'quota_exceeded',
      'Quota exceeded',
      `The ${args.plan} plan allows ${args.limit} ${name}; ${args.used} are used.${when} Upgrade for more.`,
      {
        extras: {
          dimension: args.dimension,
          limit: args.limit,
          used: args.used,
          requested: args.requested,
          resetsAt: args.resetsAt?.toISOString() ?? null,
          plan: args.plan,
          upgradeUrl: args.upgradeUrl,
        },
      },
    )
  }
}

export type Usage = { dimension: Dimension; used: number; limit: number | null; granted: number; resetsAt: Date | null }
export type Reservation = { id: string; usage: Usage }

/** Runs `fn` in the caller's transaction, or in a new one when given the pool. */
export function inTransaction<T>(db: Db, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return 'savepoint' in db ? fn(db as TransactionSql) : ((db as Sql).begin(fn) as Promise<T>)
}

export async function planStateFor(db: Db, settings: BillingSettings, userId: string): Promise<PlanState> {
  return planStateOf(await q.getAccount(db, userId), settings)
}

function periodOf(dimension: Dimension, state: PlanState): Date | null {
  return TOTAL_DIMENSIONS.includes(dimension) ? null : state.periodStart
}

export type ReserveArgs = {
  userId: string
  dimension: Dimension
  amount: number
  reference?: string | null
  reason: string
  hold?: boolean
}

/**
 * Takes `amount` from the user's allowance or throws QuotaExceededError with
 * nothing written. `hold: true` keeps a reservation to settle or refund later;
 * otherwise the charge is final at once.
 */
export async function reserve(db: Db, settings: BillingSettings, args: ReserveArgs): Promise<Reservation> {
  // No transaction of its own: the take, the reservation and the ledger row are one statement
  // (the plan read before it locks nothing, inside a transaction or not).
  const state = await planStateFor(db, settings, args.userId)
  const limit = limitOf(state.plan, args.dimension)
  const start = periodOf(args.dimension, state)
  const resetsAt = start ? state.periodEnd : null
  const taken = await q.takeAllowance(
    db,
    {
      userId: args.userId,
      dimension: args.dimension,
      start,
      amount: args.amount,
      kind: args.hold ? 'reserve' : 'charge',
      reference: args.reference ?? null,
      reason: args.reason,
      status: args.hold ? 'held' : 'settled',
    },
    limit,
  )
  if (!taken) {
    const now = await q.getCounter(db, args.userId, args.dimension, start)
    settings.onRefusal?.(args.dimension)
    throw new QuotaExceededError({
      dimension: args.dimension,
      limit: limit! + now.granted,
      used: now.used,
      requested: args.amount,
      resetsAt,
      plan: state.plan.name,
      upgradeUrl: `${settings.publicUrl}/pricing`,
    })
  }
  return {
    id: taken.reservationId,
    usage: { dimension: args.dimension, used: taken.used, limit, granted: taken.granted, resetsAt },
  }
}

/** Gives a held reservation back (the answer failed before its first token, the transcription failed). */
export async function refund(db: Db, reservationId: string, reason: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const r = await q.closeReservation(tx, reservationId, 'refunded')
    if (!r) return false
    await q.addToCounter(tx, r.userId, r.dimension, r.periodStart, -r.amount, null)
    await q.insertLedger(tx, {
      userId: r.userId,
      dimension: r.dimension,
      start: r.periodStart,
      amount: -r.amount,
      kind: 'refund',
      reference: r.reference,
      reason,
    })
    return true
  })
}

/** Closes a held reservation at the exact figure (e.g. the transcribed minutes); the difference is charged or returned. */
export async function settle(db: Db, reservationId: string, actual: number | null, reason: string): Promise<boolean> {
  // At the reserved figure (a message) nothing but the reservation changes: one statement, no transaction.
  if (actual === null) return (await q.closeReservation(db, reservationId, 'settled')) !== null
  return inTransaction(db, async (tx) => {
    const r = await q.closeReservation(tx, reservationId, 'settled')
    if (!r) return false
    const difference = actual - r.amount
    if (difference !== 0) {
      // The work is done: the exact figure is charged even past the limit (the next add is refused instead).
      await q.addToCounter(tx, r.userId, r.dimension, r.periodStart, difference, null)
      await q.insertLedger(tx, {
        userId: r.userId,
        dimension: r.dimension,
        start: r.periodStart,
        amount: difference,
        kind: 'settle',
        reference: r.reference,
        reason,
      })
    }
    return true
  })
}

/** Settles or refunds every held reservation of a reference (a video's minutes). */
export async function closeHeld(db: Db, reference: string, outcome: { settle: number | null } | 'refund', reason: string): Promise<void> {
  for (const held of await q.heldReservations(db, reference)) {
    if (outcome === 'refund') await refund(db, held.id, reason)
    else await settle(db, held.id, outcome.settle, reason)
  }
}

/**
 * generation/abandoned's SettleOwner for the message a dead api instance was
 * charging: what was streamed is kept, so the charge stands; an answer
 * interrupted before its first token is given back, as a failed one is.
 */
export async function settleInterruptedStream(tx: Db, streamId: string, content: string): Promise<number> {
  const held = await q.heldReservations(tx, streamId)
  for (const r of held) {
    if (content) await settle(tx, r.id, null, 'answer interrupted')
    else await refund(tx, r.id, 'the answer was interrupted before its first token')
  }
  return held.length
}

/** Maintenance: message reservations nothing else will close (the api died before the stream existed, or a day passed). */
export async function closeStaleHeldMessages(db: Db): Promise<number> {
  const stale = await q.staleHeldMessages(db)
  for (const r of stale) {
    if (r.reference === null) await refund(db, r.id, 'the question never started')
    else await settle(db, r.id, null, 'closed by maintenance')
  }
  return stale.length
}

/** Adds usage that already happened (a fetched transcript's bytes), past the limit if need be. */
export async function charge(
  db: Db,
  settings: BillingSettings,
  args: { userId: string; dimension: Dimension; amount: number; reference: string; reason: string },
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const start = periodOf(args.dimension, await planStateFor(tx, settings, args.userId))
    await q.ensureCounter(tx, args.userId, args.dimension, start)
    await q.addToCounter(tx, args.userId, args.dimension, start, args.amount, null)
    await q.insertLedger(tx, {
      userId: args.userId,
      dimension: args.dimension,
      start,
      amount: args.amount,
      kind: 'charge',
      reference: args.reference,
      reason: args.reason,
    })
  })
}

/** Gives back what a deleted thing held of the totals (its video slot, its bytes, its transcript's bytes). Safe to call twice. */
export async function releaseTotals(db: Db, reference: string, reason: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (const held of await q.heldTotals(tx, reference)) {
      await q.addToCounter(tx, held.userId, held.dimension, null, -held.amount, null)
      await q.insertLedger(tx, {
        userId: held.userId,
        dimension: held.dimension,
        start: null,
        amount: -held.amount,
        kind: 'release',
        reference: held.reference,
        reason,
      })
    }
  })
}
