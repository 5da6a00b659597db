// Persisted stream events: what a reconnecting client replays.
import type { Db } from '../platform/db.ts'

export type StreamEventName = 'sources' | 'token' | 'citations' | 'done' | 'error'
export type StreamEvent = { seq: number; event: StreamEventName; data: unknown }

export const STREAM_CHANNEL = 'kt_stream'
export const STOP_CHANNEL = 'kt_stream_stop'

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

// NOTIFY payloads are limited to 8000 bytes; ~180 "stream:seq" entries fit in
// one, so a flush with a thousand live answers costs a handful of notifications.
const MAX_PAYLOAD = 7900

export function packNotifications(entries: string[]): string[] {
  const out: string[] = []
  let current = ''
  for (const e of entries) {
    if (current && current.length + 1 + e.length > MAX_PAYLOAD) {
      out.push(current)
      current = ''
    }
    current = current ? `${current},${e}` : e
  }
  if (current) out.push(current)
  return out
}

export function unpackNotification(payload: string): string[] {
  return payload.split(',').map((e) => e.split(':')[0]!).filter(Boolean)
}
