// An SSE response that follows one generation from `afterSeq` on: replays what
// the client missed, continues live, and ends after `done` or `error`.
import type { Sql } from '../platform/db.ts'
import { sseResponse } from '../platform/sse.ts'
import { countStreamEvents } from './sql.ts'
import type { StreamAccess, StreamOwner } from '../platform/streamAccess.ts'
import type { StreamHub } from './streamHub.ts'
import type { StreamEvent } from './streamEvents.ts'

export function parseLastEventId(request: Request, query?: string | null): number {
  const raw = request.headers.get('last-event-id') ?? query ?? '0'
  const n = Number(raw)
  return Number.isInteger(n) && n >= 0 ? n : 0
}

export function streamResponse(
  request: Request,
  hub: StreamHub,
  sql: Sql,
  streamId: string,
  afterSeq: number,
  fallback: () => Promise<{ terminal: boolean; done: unknown } | null>,
  access?: { guard: StreamAccess; owner: StreamOwner },
): Response {
  return sseResponse(
    request,
    async (send) => {
      let sawAny = false
      const unsubscribe = hub.subscribe(streamId, afterSeq, (e: StreamEvent) => {
        sawAny = true
        send.event(e.event, e.data, e.seq)
        if (e.event === 'done' || e.event === 'error') setTimeout(() => send.close(), 0)
      })
      // Events of a stream are kept for a day; an older answer is sent whole.
      if (!hub.isLocal(streamId)) {
        setTimeout(async () => {
          if (sawAny || send.closed) return
          if ((await countStreamEvents(sql, streamId)) > 0) return
          const state = await fallback()
          if (state?.terminal && !sawAny) {
            send.event('done', state.done, afterSeq + 1)
            send.close()
          }
        }, 200)
      }
      return unsubscribe
    },
    { access },
  )
}
