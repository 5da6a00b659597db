// Rows to API shapes.
import type { VideoView } from './model.ts'
import type { VideoRow } from './sql.ts'

export function videoView(v: VideoRow): VideoView {
  return {
    id: v.id,
    collectionId: v.collectionId,
    title: v.title,
    sourceType: v.sourceType,
    sourceUrl: v.sourceUrl,
    sourceFilename: v.sourceFilename,
    youtubeId: v.youtubeId,
    language: v.language,
    durationMs: v.durationMs,
    status: v.status,
    progress: v.progress,
    error: v.error,
    hasTimestamps: v.hasTimestamps,
    captionKind: v.captionKind,
    segmentCount: v.segmentCount,
    chunkCount: v.chunkCount,
    watchUrl: v.youtubeId ? `https://youtu.be/${v.youtubeId}` : null,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    readyAt: v.readyAt?.toISOString() ?? null,
  }
}
