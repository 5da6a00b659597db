// Periodic housekeeping. Each capability contributes statements that delete or
// settle rows nobody will come back for; all of them are safe to run twice.
import { deleteExpiredAuthRows } from '../../server/auth/sql.ts'
import { closeStaleHeldMessages } from '../../server/billing/quotas.ts'
import { failAbandonedAnswers } from '../../server/chat/messageSql.ts'
import { settleAbandonedStreams } from '../../server/generation/abandoned.ts'
import { deleteOldLeases, deleteOldStreamEvents } from '../../server/generation/sql.ts'
import { STREAM_OWNERS } from '../../server/streamOwners.ts'
import { scheduleRechunks } from './rechunk.ts'
import { scheduleReembeds } from './reembed.ts'
import type { JobHandler } from '../worker.ts'

export const maintenance: JobHandler<'maintenance'> = async (_data, { sql, logger, signal, queue, config }) => {
  // Streams whose api instance died: settled once their lease ran out (nobody
  // followed them); answers from before leases existed after an hour.
  const settled = await settleAbandonedStreams(sql, STREAM_OWNERS, logger)
  const abandoned = await failAbandonedAnswers(sql)
  const heldMessages = await closeStaleHeldMessages(sql)
  if (signal.aborted) return
  const expired = await deleteExpiredAuthRows(sql)
  const streamEvents = await deleteOldStreamEvents(sql)
  const leases = await deleteOldLeases(sql)
  const reembeds = await scheduleReembeds(sql, queue, config)
  // After a chunker change, older videos get new passages in the background.
  const rechunks = await scheduleRechunks(sql, queue)
  logger.info('maintenance done', {
    settledStreams: settled,
    abandonedStreams: abandoned,
    heldMessages,
    expired,
    streamEvents,
    leases,
    reembeds,
    rechunks,
  })
}
