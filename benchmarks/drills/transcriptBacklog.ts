// A backlog of ingest jobs made the way the upload route makes them (video,
// stored file and job in one transaction), from the shared dataset's
// transcripts: the small ones by default, so a drill measures the queue and
// the workers rather than the embedder.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../../server/platform/config.ts'
import type { Sql } from '../../server/platform/db.ts'
import type { JobQueue } from '../../server/platform/jobQueue.ts'
import { addTranscript } from '../../server/videos/service.ts'
import { TRANSCRIPTS_DIR } from '../seedCollection.ts'

export const SMALL_TRANSCRIPTS = [
  'meyer1994-srt__sintel_en.srt',
  'videojs__captions.en.vtt',
  'videojs__descriptions.en.vtt',
  'exoplayer__typical_with_tags.srt',
]

/** Queues `count` transcript uploads into the collection; returns the video ids. */
export async function enqueueTranscripts(
  deps: { sql: Sql; queue: JobQueue; config: Config },
  target: { collectionId: string; userId: string },
  count: number,
  files = SMALL_TRANSCRIPTS,
): Promise<string[]> {
  const contents = files.map((f) => ({ filename: f, bytes: new Uint8Array(readFileSync(join(TRANSCRIPTS_DIR, f))) }))
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const file = contents[i % contents.length]!
    const video = await addTranscript(deps, target.collectionId, target.userId, {
      ...file,
      contentType: null,
      fields: { title: `Backlog ${i}` },
    })
    ids.push(video.id)
  }
  return ids
}

/** Videos by status, duplicated chunks (same video and ordinal twice) and ingest jobs run more than once. */
export async function backlogOutcome(
  sql: Sql,
  videoIds: string[],
): Promise<{ statuses: Record<string, number>; duplicateChunks: number; videosWithoutChunks: number }> {
  const rows = await sql<
    { status: string; n: number }[]
  >`select status, count(*)::int as n from videos where id = any(${videoIds}) group by status`
  const [dup] = await sql<
    { n: number }[]
  >`select count(*)::int as n from (select video_id, ordinal from chunks where video_id = any(${videoIds}) group by 1, 2 having count(*) > 1) d`
  const [empty] = await sql<
    { n: number }[]
  >`select count(*)::int as n from videos v where v.id = any(${videoIds}) and v.status = 'ready' and not exists (select 1 from chunks c where c.video_id = v.id)`
  return { statuses: Object.fromEntries(rows.map((r) => [r.status, r.n])), duplicateChunks: dup!.n, videosWithoutChunks: empty!.n }
}
