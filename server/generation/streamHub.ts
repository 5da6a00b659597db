// Where streamed answers live while they are generated. The api instance that
// generates an answer keeps its events in memory and serves its own clients
// from there at once; every event is also written to Postgres in small batches
// and announced with NOTIFY, so a client that reconnects to another instance
// replays from the table and follows the notifications. Stop requests travel
// the same way. With the embedded database (one instance, no cross-connection
// NOTIFY) the table is polled instead.
//
// Each running generation holds a lease (generation_leases) this instance
// renews; a follower on another instance that sees the lease run out (the
// owner died) settles the stream through `settle` (abandoned.ts), so its
// client gets an `error` event with the text so far instead of waiting forever.
import type { Db, Sql, SqlStep } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import {
  notifyStopRequested,
  readFirstTerminalEvent,
  readStreamEvents,
  readTerminalEvent,
  releaseLeases,
  renewLeases,
  takeLease,
} from './sql.ts'
import { createStreamEventWriter } from './streamEventWriter.ts'
import { createStreamLog, type StreamLog } from './streamLog.ts'
import { STOP_CHANNEL, STREAM_CHANNEL, unpackNotification, type StreamEvent, type StreamEventName } from './streamEvents.ts'

type Listener = (event: StreamEvent) => void
type Running = { events: StreamLog; listeners: Set<Listener>; abort: AbortController; pendingText: string; finished: boolean }

export type StreamHub = {
  /**
   * The lease of a stream about to start, taken atomically with its row (await
   * it in that transaction, or nest it in that statement): an instance that
   * dies between that commit and `open` leaves a lease that runs out, so the
   * stream is settled instead of left streaming forever.
   */
  lease(db: Db, streamId: string): SqlStep
  /** Starts a locally generated stream (its lease was taken with `lease`). */
  open(streamId: string): AbortController
  /** Appends text; consecutive pieces are coalesced into one `token` event per flush. */
  appendText(streamId: string, text: string): void
  /** Emits a non-token event (flushing pending text first); resolves once it is persisted. */
  emit(streamId: string, event: Exclude<StreamEventName, 'token'>, data: unknown): Promise<void>
  /** Forgets a finished local stream after its last event is persisted. */
  close(streamId: string): void
  /**
   * Forgets a stream without releasing its lease (its end could not be
   * saved): the lease runs out and the stream is settled as interrupted by
   * whoever notices (generation/abandoned.ts).
   */
  abandon(streamId: string): void
  /**
   * Ends a local stream that another instance settled while this one generated
   * it (its lease ran out): its clients here get the end that was stored (the
   * settler's `error` with the text it kept), and nothing more is written.
   * False (and nothing done) when no end is stored: the settler writes its
   * `error` in the transaction that settles the row, so the row was not
   * settled elsewhere (this instance's own earlier save committed).
   */
  endAsSettled(streamId: string): Promise<boolean>
  /** Sends every event after `afterSeq` and then live ones; `onEnd` after `done`/`error`. */
  subscribe(streamId: string, afterSeq: number, listener: Listener): () => void
  /** Aborts the generation wherever it runs. */
  requestStop(streamId: string): Promise<void>
  isLocal(streamId: string): boolean
  /** Generations running in this process (a graceful shutdown lets them finish first). */
  generating(): number
  shutdown(): Promise<void>
}

const FLUSH_INTERVAL_MS = 40
const POLL_INTERVAL_MS = 500
const TERMINAL = new Set<StreamEventName>(['done', 'error'])

export type StreamHubOptions = {
  mode: 'listen' | 'poll'
  logger: Logger
  /** How long a lease lasts without renewal (renewed every third of it). Default 30 s. */
  leaseSeconds?: number
  /** Settles a stream whose lease ran out (true when it did); without it followers only wait. */
  settle?: (streamId: string) => Promise<boolean>
}

export const LEASE_SECONDS = 30

export function createStreamHub(sql: Sql, options: StreamHubOptions): StreamHub {
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS
  const running = new Map<string, Running>()
  const released: string[] = []
  const writer = createStreamEventWriter(sql, options.logger)
  const doorbells = new Map<string, Set<() => void>>()

  const dispatch = (streamId: string, r: Running, event: StreamEventName, data: unknown) => {
    const e: StreamEvent = { seq: r.events.length + 1, event, data }
    r.events.push(e)
    writer.add({ ...e, streamId })
    for (const l of r.listeners) l(e)
  }

  const flushText = (streamId: string, r: Running) => {
    if (!r.pendingText) return
    const text = r.pendingText
    r.pendingText = ''
    dispatch(streamId, r, 'token', { text })
  }

  const tick = setInterval(() => {
    for (const [id, r] of running) flushText(id, r)
    if (writer.pending()) void writer.flush()
  }, FLUSH_INTERVAL_MS)

  // Leases: taken in the transaction that creates a stream's row (`lease`),
  // renewed for all running streams every third of the lease, released when a
  // stream ends (with the next pass). Starting a stream writes nothing more:
  // its lease is fresh, and renewing the others on every start cost a row
  // update per open stream per question. A lease another instance claimed
  // (this one could not renew in time) is lost: the generation stops, since
  // its stream has already been settled elsewhere.
  const renewOnce = async () => {
    const ids = [...running.keys()]
    const gone = released.splice(0)
    try {
      const held = await renewLeases(sql, ids, leaseSeconds, gone)
      for (const id of ids) {
        if (held.has(id) || !running.has(id)) continue
        options.logger.warn('generation lease lost (settled by another instance); stopping it', { streamId: id })
        running.get(id)?.abort.abort(new Error('lease lost'))
      }
    } catch (err) {
      released.push(...gone)
      options.logger.warn('generation leases not renewed', { err, streams: ids.length })
    }
  }
  let renewing: Promise<void> | null = null
  const renew = () => {
    renewing ??= renewOnce().finally(() => (renewing = null))
  }
  const leaseTimer = setInterval(renew, (leaseSeconds * 1000) / 3)

  const ring = (streamId: string) => {
    for (const d of doorbells.get(streamId) ?? []) d()
  }

  let unlisten: () => Promise<void> = async () => {}
  let pollTimer: ReturnType<typeof setInterval> | undefined
  if (options.mode === 'listen') {
    const a = sql.listen(STREAM_CHANNEL, (payload) => {
      for (const id of unpackNotification(payload)) ring(id)
    })
    const b = sql.listen(STOP_CHANNEL, (streamId) => running.get(streamId)?.abort.abort(new Error('stopped')))
    a.catch((err) => options.logger.error('LISTEN kt_stream failed', { err }))
    b.catch((err) => options.logger.error('LISTEN kt_stream_stop failed', { err }))
    unlisten = async () => {
      await (await a.catch(() => null))?.unlisten()
      await (await b.catch(() => null))?.unlisten()
    }
  }
  // A safety net in listen mode (a missed notification), the mechanism in poll mode.
  pollTimer = setInterval(
    () => {
      for (const id of doorbells.keys()) ring(id)
    },
    options.mode === 'poll' ? POLL_INTERVAL_MS : 2000,
  )

  const subscribeRemote = (streamId: string, afterSeq: number, listener: Listener) => {
    let last = afterSeq
    let ended = false
    let pumping: Promise<void> | null = null
    let again = false
    let quietSince = Date.now()
    const checkEveryMs = Math.min(5000, (leaseSeconds * 1000) / 2)
    // Nothing new for a while: is the owner still alive? If its lease ran out,
    // settle the stream (its `error` event then arrives like any other). A
    // client that saw events the owner never persisted is past that event's
    // seq, so it gets the stream's end directly.
    const checkOwner = async () => {
      quietSince = Date.now()
      if (options.settle)
        await options.settle(streamId).catch((err) => options.logger.warn('settling an abandoned stream failed', { streamId, err }))
      const end = await readTerminalEvent(sql, streamId).catch(() => null)
      if (end && end.seq <= last && !ended) {
        ended = true
        listener(end)
      }
    }
    const pump = async () => {
      if (ended) return
      if (pumping) {
        again = true
        return
      }
      pumping = (async () => {
        do {
          again = false
          const rows = await readStreamEvents(sql, streamId, last).catch(() => [])
          if (rows.length) quietSince = Date.now()
          for (const e of rows) {
            if (ended || e.seq !== last + 1) break
            last = e.seq
            listener(e)
            if (TERMINAL.has(e.event)) ended = true
          }
          if (!ended && !rows.length && Date.now() - quietSince >= checkEveryMs) await checkOwner()
        } while (again && !ended)
      })().finally(() => (pumping = null))
    }
    let set = doorbells.get(streamId)
    if (!set) doorbells.set(streamId, (set = new Set()))
    set.add(pump)
    void pump()
    return () => {
      ended = true
      set!.delete(pump)
      if (set!.size === 0) doorbells.delete(streamId)
    }
  }

  return {
    lease: (db, streamId) => takeLease(db, streamId, leaseSeconds),
    open(streamId) {
      const r: Running = { events: createStreamLog(), listeners: new Set(), abort: new AbortController(), pendingText: '', finished: false }
      running.set(streamId, r)
      return r.abort
    },
    appendText(streamId, text) {
      const r = running.get(streamId)
      if (!r || r.finished) return
      const first = !r.events.hasToken && !r.pendingText
      r.pendingText += text
      // The first token goes out at once: time to first token is what people feel.
      if (first) flushText(streamId, r)
    },
    async emit(streamId, event, data) {
      const r = running.get(streamId)
      if (!r) return
      flushText(streamId, r)
      if (TERMINAL.has(event)) r.finished = true
      dispatch(streamId, r, event, data)
      await writer.stored()
    },
    close(streamId) {
      if (running.delete(streamId)) released.push(streamId)
    },
    abandon(streamId) {
      running.delete(streamId)
    },
    async endAsSettled(streamId) {
      const r = running.get(streamId)
      const stored = await readFirstTerminalEvent(sql, streamId).catch(() => null)
      if (!r || !stored) return false
      r.finished = true
      running.delete(streamId)
      const e: StreamEvent = { seq: r.events.length + 1, event: stored.event, data: stored.data }
      for (const l of r.listeners) l(e)
      return true
    },
    subscribe(streamId, afterSeq, listener) {
      const r = running.get(streamId)
      if (!r) return subscribeRemote(streamId, afterSeq, listener)
      for (const e of r.events.since(afterSeq)) listener(e)
      r.listeners.add(listener)
      return () => r.listeners.delete(listener)
    },
    async requestStop(streamId) {
      const r = running.get(streamId)
      if (r) return void r.abort.abort(new Error('stopped'))
      await notifyStopRequested(sql, streamId)
    },
    isLocal: (streamId) => running.has(streamId),
    generating: () => running.size,
    async shutdown() {
      clearInterval(tick)
      clearInterval(leaseTimer)
      if (pollTimer) clearInterval(pollTimer)
      for (const r of running.values()) r.abort.abort(new Error('server shutting down'))
      await writer.flush()
      await renewing
      await releaseLeases(sql, released.splice(0)).catch(() => {})
      await unlisten()
    },
  }
}
