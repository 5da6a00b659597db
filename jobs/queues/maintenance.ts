// Periodic housekeeping. Each capability contributes statements that delete or
// settle rows nobody will come back for; all of them are safe to run twice.
import { deleteExpiredAuthRows } from '../../server/auth/sql.ts'
import { deleteOldStreamEvents } from '../../server/generation/streamEvents.ts'
import { scheduleReembeds } from './reembed.ts'
import type { JobHandler } from '../worker.ts'

export const maintenance: JobHandler<'maintenance'> = async (_data, { sql, logger, signal, queue, config }) => {
  // An answer whose api process died mid-stream would otherwise show as
  // "streaming" forever.
  const abandoned = await sql`
    update messages set status = 'failed', error = 'The answer was interrupted by a server restart.'
    where status = 'streaming' and created_at < now() - interval '1 hour'`
  if (signal.aborted) return
  const expired = await deleteExpiredAuthRows(sql)
  const streamEvents = await deleteOldStreamEvents(sql)
  const reembeds = await scheduleReembeds(sql, queue, config)
  logger.info('maintenance done', { abandonedStreams: abandoned.count, expired, streamEvents, reembeds })
}
