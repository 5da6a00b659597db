// Fans video status changes out to the progress streams of this api instance.
// On a real Postgres, workers' NOTIFYs arrive through one LISTEN connection. The
// embedded database does not deliver notifications between connections, so
// there the hub polls the watched collections once a second instead.
import type { Sql } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import { getVideo, listVideosChangedSince, NOTIFY_CHANNEL, type VideoRow } from './sql.ts'

export type VideoEvent = { type: 'video'; video: VideoRow } | { type: 'deleted'; videoId: string }
type Listener = (event: VideoEvent) => void

export type ProgressHub = {
  subscribe(collectionId: string, listener: Listener): () => void
  /** For changes made by this process (deletes), delivered without a round trip. */
  publishLocal(collectionId: string, event: VideoEvent): void
  close(): Promise<void>
}

const POLL_INTERVAL_MS = 1000

export function createProgressHub(sql: Sql, options: { mode: 'listen' | 'poll'; logger: Logger }): ProgressHub {
  const listeners = new Map<string, Set<Listener>>()
  const dispatch = (collectionId: string, event: VideoEvent) => {
    for (const l of listeners.get(collectionId) ?? []) l(event)
  }

  let stop: () => Promise<void> = async () => {}
  if (options.mode === 'listen') {
    const listening = sql.listen(NOTIFY_CHANNEL, (payload) => {
      let msg: { c?: unknown; v?: unknown; d?: unknown }
      try {
        msg = JSON.parse(payload)
      } catch {
        return
      }
      if (typeof msg.c !== 'string' || typeof msg.v !== 'string' || !listeners.has(msg.c)) return
      const collectionId = msg.c
      if (msg.d === true) return dispatch(collectionId, { type: 'deleted', videoId: msg.v })
      getVideo(sql, msg.v).then(
        (video) => dispatch(collectionId, video ? { type: 'video', video } : { type: 'deleted', videoId: msg.v as string }),
        (err) => options.logger.warn('progress lookup failed', { err }),
      )
    })
    listening.catch((err) => options.logger.error('LISTEN failed; progress streams will not update', { err }))
    stop = async () => {
      await (await listening.catch(() => null))?.unlisten()
    }
  } else {
    const seen = new Map<string, number>()
    let since = new Date(Date.now() - POLL_INTERVAL_MS)
    let busy = false
    const timer = setInterval(async () => {
      if (busy || listeners.size === 0) return
      busy = true
      const started = new Date(Date.now() - 50)
      try {
        const rows = await listVideosChangedSince(sql, [...listeners.keys()], since)
        for (const video of rows) {
          const stamp = video.updatedAt.getTime()
          if (seen.get(video.id) === stamp) continue
          seen.set(video.id, stamp)
          dispatch(video.collectionId, { type: 'video', video })
        }
        since = started
      } catch (err) {
        options.logger.warn('progress poll failed', { err })
      } finally {
        busy = false
      }
    }, POLL_INTERVAL_MS)
    stop = async () => clearInterval(timer)
  }

  return {
    subscribe(collectionId, listener) {
      let set = listeners.get(collectionId)
      if (!set) listeners.set(collectionId, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0) listeners.delete(collectionId)
      }
    },
    publishLocal: dispatch,
    close: () => stop(),
  }
}
