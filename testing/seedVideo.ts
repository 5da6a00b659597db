// A ready video from given cues, made by the real pipeline code (segments, then
// the embed job) without waiting for the queue.
import { embed } from '../jobs/queues/embed.ts'
import type { Segment } from '../server/videos/transcripts/parseTranscript.ts'
import { insertVideo, replaceSegments } from '../server/videos/sql.ts'
import { makeJobContext } from './makeJobContext.ts'
import type { TestApp } from './testApp.ts'

export async function seedVideo(
  ctx: TestApp,
  p: { collectionId: string; userId: string; title: string; segments: Segment[]; youtubeId?: string; language?: string },
): Promise<string> {
  const video = await insertVideo(ctx.db.sql, {
    collectionId: p.collectionId,
    addedBy: p.userId,
    sourceType: p.youtubeId ? 'youtube' : 'transcript',
    title: p.title,
    youtubeId: p.youtubeId ?? null,
    language: p.language ?? 'en',
  })
  await replaceSegments(ctx.db.sql, video.id, p.segments)
  await embed(
    { videoId: video.id },
    makeJobContext({ sql: ctx.db.sql, logger: ctx.logger, queue: ctx.queue, config: ctx.config }, { lastAttempt: true }),
  )
  return video.id
}

/** Cues of roughly `words` words each, one every `stepMs`. */
export function cues(texts: string[], stepMs = 10_000, speaker: string | null = null): Segment[] {
  return texts.map((text, i) => ({ startMs: i * stepMs, endMs: (i + 1) * stepMs - 500, speaker, text }))
}
