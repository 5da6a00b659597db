// Queries of the generation engine: the persisted events of every stream.
import type { Db } from '../platform/db.ts'
import { packNotifications, STOP_CHANNEL, STREAM_CHANNEL, type StreamEvent } from './streamEvents.ts'

export async function insertStreamEvents(db: Db, rows: (StreamEvent & { streamId: string })[]): Promise<void> {
  if (!rows.length) return
  await db`
    insert into stream_events (stream_id, seq, event, data)
    select s, q, e, d::jsonb
    from unnest(${rows.map((r) => r.streamId)}::uuid[], ${rows.map((r) => r.seq)}::int[], ${rows.map((r) => r.event)}::text[], ${rows.map((r) => JSON.stringify(r.data))}::text[]) as t(s, q, e, d)
    on conflict do nothing`
  const latest = new Map<string, number>()
  for (const r of rows) latest.set(r.streamId, Math.max(latest.get(r.streamId) ?? 0, r.seq))
  await db`select pg_notify(${STREAM_CHANNEL}, p) from unnest(${packNotifications([...latest].map(([id, seq]) => `${id}:${seq}`))}::text[]) as p`
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
