// Queries of the generation engine: the persisted events of every stream.
import type { Db, SqlStep } from '../platform/db.ts'
import { packNotifications, STOP_CHANNEL, STREAM_CHANNEL, type StreamEvent } from './streamEvents.ts'

/**
 * Writes events and announces each stream's latest seq, in one statement: the
 * NOTIFY goes out when it commits, after the rows are visible, as it did when
 * they were two statements (one fewer round trip per 40 ms flush).
 */
export async function insertStreamEvents(db: Db, rows: (StreamEvent & { streamId: string })[]): Promise<void> {
  if (!rows.length) return
  const latest = new Map<string, number>()
  for (const r of rows) latest.set(r.streamId, Math.max(latest.get(r.streamId) ?? 0, r.seq))
  await db`
    with written as (
      insert into stream_events (stream_id, seq, event, data)
      select s, q, e, d::jsonb
      from unnest(${rows.map((r) => r.streamId)}::uuid[], ${rows.map((r) => r.seq)}::int[], ${rows.map((r) => r.event)}::text[], ${rows.map((r) => JSON.stringify(r.data))}::text[]) as t(s, q, e, d)
      on conflict do nothing
    )
    select pg_notify(${STREAM_CHANNEL}, p) from unnest(${packNotifications([...latest].map(([id, seq]) => `${id}:${seq}`))}::text[]) as p`
}

export async function readStreamEvents(db: Db, streamId: string, afterSeq: number, limit = 1000): Promise<StreamEvent[]> {
  return db<StreamEvent[]>`
    select seq, event, data from stream_events where stream_id = ${streamId} and seq > ${afterSeq} order by seq limit ${limit}`
}

export async function deleteOldStreamEvents(db: Db): Promise<number> {
  const r = await db`delete from stream_events where created_at < now() - interval '1 day'`
  return r.count
}

export async function countStreamEvents(db: Db, streamId: string): Promise<number> {
  const [{ n } = { n: 0 }] = await db<{ n: number }[]>`select count(*)::int as n from stream_events where stream_id = ${streamId}`
  return n
}

/** Asks whichever instance runs the stream to abort it. */
export async function notifyStopRequested(db: Db, streamId: string): Promise<void> {
  await db`select pg_notify(${STOP_CHANNEL}, ${streamId})`
}

/**
 * Takes or extends the leases of the given streams and drops those of streams
 * that ended, in one statement; returns the given streams it still holds (a
 * claimed one is lost for good).
 */
/** A new stream's lease, not sent until awaited or nested in the statement that creates the stream (SqlStep). */
export function takeLease(db: Db, streamId: string, seconds: number): SqlStep {
  return db`
    insert into generation_leases (stream_id, lease_until) values (${streamId}, now() + ${seconds} * interval '1 second')
    on conflict (stream_id) do update set lease_until = excluded.lease_until`
}

export async function renewLeases(db: Db, streamIds: string[], seconds: number, releaseIds: string[] = []): Promise<Set<string>> {
  if (!streamIds.length && !releaseIds.length) return new Set()
  const rows = await db<{ streamId: string }[]>`
    with released as (delete from generation_leases where stream_id = any(${releaseIds}::uuid[]))
    insert into generation_leases (stream_id, lease_until)
    select s, now() + ${seconds} * interval '1 second' from unnest(${streamIds}::uuid[]) as s
    on conflict (stream_id) do update set lease_until = excluded.lease_until
      where generation_leases.lease_until > now()
    returning stream_id`
  return new Set(rows.map((r) => r.streamId))
}

export async function releaseLeases(db: Db, streamIds: string[]): Promise<void> {
  if (streamIds.length) await db`delete from generation_leases where stream_id = any(${streamIds}::uuid[])`
}

/** Claims an expired lease (one claimant wins); false when the owner still renews it, or it is gone or claimed. */
export async function claimExpiredLease(db: Db, streamId: string): Promise<boolean> {
  const r = await db`
    update generation_leases set lease_until = '-infinity'
    where stream_id = ${streamId} and lease_until < now() and lease_until > '-infinity'`
  return r.count > 0
}

export async function expiredLeases(db: Db, limit = 500): Promise<string[]> {
  const rows = await db<{ streamId: string }[]>`
    select stream_id from generation_leases where lease_until < now() and lease_until > '-infinity' order by lease_until limit ${limit}`
  return rows.map((r) => r.streamId)
}

/** Claimed leases are kept a day (the old owner must keep failing to renew), then dropped with the stream's events. */
export async function deleteOldLeases(db: Db): Promise<number> {
  const r = await db`
    delete from generation_leases l where l.lease_until = '-infinity' and not exists (select 1 from stream_events e where e.stream_id = l.stream_id)`
  return r.count
}

/** The persisted events of a stream, all of them (to settle it). */
export async function readAllStreamEvents(db: Db, streamId: string): Promise<StreamEvent[]> {
  return db<StreamEvent[]>`select seq, event, data from stream_events where stream_id = ${streamId} order by seq`
}

/** The stream's first `done` or `error`: its end as readers see it, whatever was written after it. */
export async function readFirstTerminalEvent(db: Db, streamId: string): Promise<StreamEvent | null> {
  const [row] = await db<StreamEvent[]>`
    select seq, event, data from stream_events where stream_id = ${streamId} and event in ('done', 'error') order by seq limit 1`
  return row ?? null
}

/** The stream's last event if it is `done` or `error` (a follower that saw more than was persisted still gets the end). */
export async function readTerminalEvent(db: Db, streamId: string): Promise<StreamEvent | null> {
  const [row] = await db<StreamEvent[]>`select seq, event, data from stream_events where stream_id = ${streamId} order by seq desc limit 1`
  return row && (row.event === 'done' || row.event === 'error') ? row : null
}
