// rechunk: a ready video whose passages an older chunker made (videos.
// chunker_version < CHUNKER_VERSION) gets new passages and vectors. The video
// stays ready and searchable throughout: the old passages answer until the
// new set replaces them in one transaction. Idempotent: a video already on
// the current version is left alone.
import type { Sql } from '../../server/platform/db.ts'
import { CHUNKER_VERSION } from '../../server/retrieval/chunkSegments.ts'
import * as q from '../../server/videos/sql.ts'
import type { JobQueue } from '../../server/platform/jobQueue.ts'
import { buildPassages, writePassages } from '../videoPassages.ts'
import type { JobHandler } from '../worker.ts'

/** Videos queued per maintenance run; the rest wait for the next one. */
export const RECHUNK_BATCH = 500

export const rechunk: JobHandler<'rechunk'> = async ({ videoId }, ctx) => {
  const video = await q.getVideo(ctx.sql, videoId)
  if (!video || video.status !== 'ready' || video.chunkerVersion >= CHUNKER_VERSION) return
  const passages = await buildPassages(ctx, videoId, video.collectionId)
  await ctx.sql.begin(async (tx) => {
    // Locked, so a concurrent re-ingest or delete either happened before (and we
    // skip) or waits for this swap.
    const current = await q.lockVideoPassages(tx, videoId)
    if (!current || current.status !== 'ready' || current.chunkerVersion >= CHUNKER_VERSION) return
    await writePassages(tx, { id: videoId, collectionId: video.collectionId, language: current.language }, passages)
  })
  ctx.logger.info('video re-chunked', { videoId, chunks: passages.chunks.length, version: CHUNKER_VERSION })
}

/** Queues a re-chunk for ready videos an older chunker made (at most RECHUNK_BATCH per call). */
export async function scheduleRechunks(sql: Sql, queue: JobQueue): Promise<number> {
  const rows = await q.listVideosChunkedBefore(sql, CHUNKER_VERSION, RECHUNK_BATCH)
  for (const { id } of rows) await queue.send('rechunk', { videoId: id }, { singletonKey: `rechunk:${id}:${CHUNKER_VERSION}` })
  return rows.length
}
