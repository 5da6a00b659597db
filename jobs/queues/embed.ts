// embed: transcript segments -> time-aware chunks -> vectors, written in one
// transaction. Chunking and embedding are deterministic and nothing is stored
// until everything is computed, so a crash mid-way and a retry leave exactly
// one, identical chunk set.
import * as q from '../../server/videos/sql.ts'
import { handlePipelineError } from '../videoFailure.ts'
import { buildPassages, writePassages } from '../videoPassages.ts'
import type { JobHandler } from '../worker.ts'

export const embed: JobHandler<'embed'> = async ({ videoId }, ctx) => {
  const video = await q.getVideo(ctx.sql, videoId)
  if (!video) return
  try {
    const passages = await buildPassages(ctx, videoId, video.collectionId, (share) =>
      q.setVideoStatus(ctx.sql, videoId, { progress: 60 + Math.floor(share * 38) }).then(() => {}),
    )
    const ready = await ctx.sql.begin(async (tx) => {
      const current = await q.getVideo(tx, videoId)
      if (!current) return false
      await writePassages(tx, current, passages)
      await q.setVideoStatus(tx, videoId, { status: 'ready', progress: 100 })
      return true
    })
    if (ready) ctx.metrics.video({ sourceType: video.sourceType, outcome: 'ready', createdAt: video.createdAt })
  } catch (err) {
    await handlePipelineError(ctx, videoId, err)
  }
}
