// How a pipeline job ends when something goes wrong. Problems with the input
// (a malformed file, a video without captions) fail the video at once with the
// reason; anything else is retried, and the video fails only after the last try.
import { refundTranscription } from '../server/billing/transcriptionUsage.ts'
import { getVideo, setVideoStatus } from '../server/videos/sql.ts'
import { AppError } from '../server/platform/errors.ts'
import type { JobContext } from './worker.ts'

export function isPermanent(err: unknown): boolean {
  return err instanceof AppError && err.status >= 400 && err.status < 500 && err.extras.retryable !== true
}

export function humanReason(err: unknown): string {
  if (err instanceof AppError) return err.message
  return 'Processing failed unexpectedly. Retrying may help; if it keeps failing, contact the operator.'
}

/** Marks the video failed when no retry will follow; rethrows so pg-boss retries or dead-letters. */
export async function handlePipelineError(ctx: JobContext, videoId: string, err: unknown): Promise<void> {
  if (ctx.signal.aborted) throw err
  const permanent = isPermanent(err)
  if (permanent || ctx.lastAttempt) {
    const video = await getVideo(ctx.sql, videoId)
    await setVideoStatus(ctx.sql, videoId, { status: 'failed', error: humanReason(err) })
    // Nothing more will be transcribed: the minutes held for it go back.
    await refundTranscription(ctx.sql, videoId)
    // The error code is one of the product's own, so it bounds the label's values.
    if (video)
      ctx.metrics.video({
        sourceType: video.sourceType,
        outcome: 'failed',
        reason: err instanceof AppError ? err.code : 'unexpected',
        createdAt: video.createdAt,
      })
  }
  if (!permanent) throw err
  ctx.logger.info('video failed', { videoId, reason: humanReason(err) })
}
