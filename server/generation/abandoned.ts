// A generation whose api instance died (SIGKILL, OOM, a lost host) stops
// renewing its lease. Whoever notices first (another instance following the
// stream for a resuming client, or maintenance) claims the expired lease and
// settles the stream in one transaction: the owning row (an answer or an
// artifact version) becomes `failed` with exactly the text that was streamed,
// and the stream gets a final `error` event, so no client follows it forever
// and nothing is lost or duplicated. The owning rows belong to other
// capabilities, so the composition root passes their settle functions in.
import type { Db, Sql } from '../platform/db.ts'
import type { Logger } from '../platform/logger.ts'
import { claimExpiredLease, expiredLeases, insertStreamEvents, readAllStreamEvents } from './sql.ts'

/** Marks the row a stream belongs to failed with `content` (only while it is still `streaming`); returns rows changed. */
export type SettleOwner = (tx: Db, streamId: string, content: string, error: string) => Promise<number>

export const INTERRUPTED = {
  code: 'generation_interrupted',
  title: 'The answer was interrupted',
  detail: 'The server generating this answer stopped before it finished. The text so far is kept; ask again to get a full answer.',
} as const

// Fields of the `sources` event that describe the stream, not its owner (messageId, artifactId… are echoed back).
const SOURCES_FIELDS = new Set(['mode', 'model', 'notice', 'sources'])

/** Settles one stream if its lease has run out; true when this call did it. */
export async function settleAbandonedStream(sql: Sql, streamId: string, owners: SettleOwner[]): Promise<boolean> {
  return sql.begin(async (tx) => {
    if (!(await claimExpiredLease(tx, streamId))) return false
    const events = await readAllStreamEvents(tx, streamId)
    // A stream that did end (its owner died between the last event and releasing the lease) stays as it is.
    if (events.some((e) => e.event === 'done' || e.event === 'error')) return true
    const content = events
      .filter((e) => e.event === 'token')
      .map((e) => (e.data as { text: string }).text)
      .join('')
    for (const settle of owners) await settle(tx, streamId, content, INTERRUPTED.detail)
    const sources = (events.find((e) => e.event === 'sources')?.data ?? {}) as Record<string, unknown>
    const meta = Object.fromEntries(Object.entries(sources).filter(([k]) => !SOURCES_FIELDS.has(k)))
    const seq = (events.at(-1)?.seq ?? 0) + 1
    await insertStreamEvents(tx, [
      {
        streamId,
        seq,
        event: 'error',
        data: {
          type: `https://knowledgetree.dev/problems/${INTERRUPTED.code}`,
          ...INTERRUPTED,
          status: 503,
          partialContent: content,
          ...meta,
        },
      },
    ])
    return true
  })
}

/** Maintenance: settles every stream whose lease ran out and nobody followed. */
export async function settleAbandonedStreams(sql: Sql, owners: SettleOwner[], logger: Logger): Promise<number> {
  let settled = 0
  for (const streamId of await expiredLeases(sql)) {
    try {
      if (await settleAbandonedStream(sql, streamId, owners)) settled++
    } catch (err) {
      logger.warn('settling an abandoned stream failed', { streamId, err })
    }
  }
  return settled
}
