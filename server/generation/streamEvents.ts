// Stream events: what a reconnecting client replays (stored by sql.ts), and the
// NOTIFY channels that announce new events and stop requests across instances.

export type StreamEventName = 'sources' | 'token' | 'citations' | 'done' | 'error'
export type StreamEvent = { seq: number; event: StreamEventName; data: unknown }

export const STREAM_CHANNEL = 'kt_stream'
export const STOP_CHANNEL = 'kt_stream_stop'

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
  return payload
    .split(',')
    .map((e) => e.split(':')[0]!)
    .filter(Boolean)
}
