// Writes a process's stream events to stream_events in batches, in order.
// Events that could not be written (the database away: a restart, a failover)
// are kept and written by a later flush: a client that resumes on another
// instance must find every event. Inserting is idempotent (stream_id, seq), so
// a batch whose commit was lost in transit is safe to send again.
import type { Sql } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import { insertStreamEvents } from './sql.ts'
import type { StreamEvent } from './streamEvents.ts'

export type StreamEventWriter = {
  add(event: StreamEvent & { streamId: string }): void
  /** True while some event waits to be written. */
  pending(): boolean
  /** One pass: writes what waits (or keeps it when the database refuses). */
  flush(): Promise<void>
  /** Resolves once every event added so far is stored (however many flushes that takes). */
  stored(): Promise<void>
}

const BATCH = 2000

export function createStreamEventWriter(sql: Sql, logger: Logger): StreamEventWriter {
  const unwritten: (StreamEvent & { streamId: string })[] = []
  const waiters: (() => void)[] = []
  let flushing: Promise<void> | null = null
  let failingSince: number | null = null

  const flush = (): Promise<void> => {
    if (flushing) return flushing
    flushing = (async () => {
      while (unwritten.length) {
        const batch = unwritten.splice(0, BATCH)
        const batchWaiters = waiters.splice(0)
        try {
          await insertStreamEvents(sql, batch)
        } catch (err) {
          unwritten.unshift(...batch)
          waiters.unshift(...batchWaiters)
          if (failingSince === null) {
            failingSince = Date.now()
            logger.error('stream events not persisted; kept and retried', { err, events: unwritten.length })
          }
          return
        }
        if (failingSince !== null) {
          logger.info('stream events persisted again', { afterMs: Date.now() - failingSince })
          failingSince = null
        }
        for (const w of batchWaiters) w()
      }
      for (const w of waiters.splice(0)) w()
    })().finally(() => (flushing = null))
    return flushing
  }

  return {
    add: (event) => void unwritten.push(event),
    pending: () => unwritten.length > 0,
    flush,
    stored: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve)
        void flush()
      }),
  }
}
