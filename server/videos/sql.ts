// Queries of the videos capability. Every status change bumps updated_at and
// notifies `kt_video`, which the progress stream fans out.
import { columnsOf, type Db } from '../platform/db.ts'
import type { Segment } from './transcripts/parseTranscript.ts'

export type VideoStatus = 'queued' | 'processing' | 'ready' | 'failed'
export type SourceType = 'youtube' | 'transcript' | 'audio'
export type VideoRow = {
  id: string
  collectionId: string
  title: string
  sourceType: SourceType
  sourceUrl: string | null
  sourceFilename: string | null
  youtubeId: string | null
  language: string | null
  requestedLanguage: string | null
  durationMs: number | null
  status: VideoStatus
  progress: number
  error: string | null
  hasTimestamps: boolean
  transcriptFormat: string | null
  captionKind: string | null
  segmentCount: number | null
  chunkCount: number | null
  /** The chunker version that made the video's passages (CHUNKER_VERSION). */
  chunkerVersion: number
  bytes: number | null
  createdAt: Date
  updatedAt: Date
  readyAt: Date | null
}

export const VIDEO_COLUMNS = columnsOf<VideoRow>()([
  'id',
  'collectionId',
  'title',
  'sourceType',
  'sourceUrl',
  'sourceFilename',
  'youtubeId',
  'language',
  'requestedLanguage',
  'durationMs',
  'status',
  'progress',
  'error',
  'hasTimestamps',
  'transcriptFormat',
  'captionKind',
  'segmentCount',
  'chunkCount',
  'chunkerVersion',
  'bytes',
  'createdAt',
  'updatedAt',
  'readyAt',
])

export const NOTIFY_CHANNEL = 'kt_video'

export async function notifyVideoChanged(db: Db, collectionId: string, videoId: string, deleted = false): Promise<void> {
  await db`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify({ c: collectionId, v: videoId, d: deleted })})`
}

export type NewVideo = {
  collectionId: string
  addedBy: string
  sourceType: SourceType
  title: string
  sourceUrl?: string | null
  sourceFilename?: string | null
  youtubeId?: string | null
  language?: string | null
  requestedLanguage?: string | null
  transcriptFormat?: string | null
  hasTimestamps?: boolean
  bytes?: number | null
}

export async function insertVideo(db: Db, v: NewVideo): Promise<VideoRow> {
  const [row] = await db<VideoRow[]>`
    insert into videos (collection_id, added_by, source_type, title, source_url, source_filename, youtube_id, language, requested_language, transcript_format, has_timestamps, bytes)
    values (${v.collectionId}, ${v.addedBy}, ${v.sourceType}, ${v.title}, ${v.sourceUrl ?? null}, ${v.sourceFilename ?? null}, ${v.youtubeId ?? null},
            ${v.language ?? null}, ${v.requestedLanguage ?? null}, ${v.transcriptFormat ?? null}, ${v.hasTimestamps ?? true}, ${v.bytes ?? null})
    returning ${db(VIDEO_COLUMNS)}`
  return row!
}

export async function insertUpload(
  db: Db,
  videoId: string,
  file: { filename: string; contentType: string | null; bytes: Uint8Array },
): Promise<void> {
  await db`insert into video_uploads (video_id, filename, content_type, content) values (${videoId}, ${file.filename}, ${file.contentType}, ${Buffer.from(file.bytes)})`
}

export async function getUpload(
  db: Db,
  videoId: string,
): Promise<{ filename: string; contentType: string | null; content: Buffer } | undefined> {
  const [row] = await db<
    { filename: string; contentType: string | null; content: Buffer }[]
  >`select filename, content_type, content from video_uploads where video_id = ${videoId}`
  return row
}

export async function getVideo(db: Db, videoId: string): Promise<VideoRow | undefined> {
  const [row] = await db<VideoRow[]>`select ${db(VIDEO_COLUMNS)} from videos where id = ${videoId}`
  return row
}

export async function renameVideo(db: Db, videoId: string, title: string): Promise<VideoRow | undefined> {
  const [row] = await db<
    VideoRow[]
  >`update videos set title = ${title}, updated_at = clock_timestamp() where id = ${videoId} returning ${db(VIDEO_COLUMNS)}`
  return row
}

export async function listVideos(db: Db, collectionId: string): Promise<VideoRow[]> {
  return db<VideoRow[]>`select ${db(VIDEO_COLUMNS)} from videos where collection_id = ${collectionId} order by created_at desc, id`
}

export async function listVideosChangedSince(db: Db, collectionIds: string[], since: Date): Promise<VideoRow[]> {
  return db<VideoRow[]>`select ${db(VIDEO_COLUMNS)} from videos where collection_id = any(${collectionIds}) and updated_at >= ${since}`
}

export async function listVideoIds(db: Db, collectionId: string): Promise<string[]> {
  const rows = await db<{ id: string }[]>`select id from videos where collection_id = ${collectionId}`
  return rows.map((r) => r.id)
}

export async function deleteVideo(db: Db, videoId: string): Promise<void> {
  await db`delete from videos where id = ${videoId}`
}

export type StatusChange = { status?: VideoStatus; progress?: number; error?: string | null }

/** Applies a status change unless the video is gone; returns whether it still exists. */
export async function setVideoStatus(db: Db, videoId: string, change: StatusChange): Promise<boolean> {
  const error = change.status === 'failed' ? (change.error ?? 'Processing failed.').slice(0, 2000) : null
  const [row] = await db<{ collectionId: string }[]>`
    update videos set
      status = coalesce(${change.status ?? null}, status),
      progress = coalesce(${change.progress ?? null}, progress),
      error = case when coalesce(${change.status ?? null}, status) = 'failed' then coalesce(${error}, error) else null end,
      ready_at = case when ${change.status ?? null} = 'ready' then now() else ready_at end,
      updated_at = clock_timestamp()
    where id = ${videoId}
    returning collection_id`
  if (!row) return false
  await notifyVideoChanged(db, row.collectionId, videoId)
  return true
}

export async function updateVideoMetadata(
  db: Db,
  videoId: string,
  m: {
    title?: string | null
    durationMs?: number | null
    language?: string | null
    captionKind?: string | null
    hasTimestamps?: boolean
    segmentCount?: number
    transcriptFormat?: string | null
  },
): Promise<void> {
  await db`
    update videos set
      title = coalesce(${m.title ?? null}, title),
      duration_ms = coalesce(${m.durationMs ?? null}, duration_ms),
      language = coalesce(${m.language ?? null}, language),
      caption_kind = coalesce(${m.captionKind ?? null}, caption_kind),
      has_timestamps = coalesce(${m.hasTimestamps ?? null}, has_timestamps),
      segment_count = coalesce(${m.segmentCount ?? null}, segment_count),
      transcript_format = coalesce(${m.transcriptFormat ?? null}, transcript_format),
      updated_at = clock_timestamp()
    where id = ${videoId}`
}

/** Replaces a video's transcript; running it twice leaves one copy. */
export async function replaceSegments(db: Db, videoId: string, segments: Segment[]): Promise<void> {
  await db`delete from transcript_segments where video_id = ${videoId}`
  const BATCH = 1000
  for (let i = 0; i < segments.length; i += BATCH) {
    const rows = segments
      .slice(i, i + BATCH)
      .map((s, j) => ({ videoId, ordinal: i + j, startMs: s.startMs, endMs: s.endMs, speaker: s.speaker, text: s.text }))
    await db`insert into transcript_segments ${db(rows, 'videoId', 'ordinal', 'startMs', 'endMs', 'speaker', 'text')}`
  }
}

export type SegmentRow = { ordinal: number; startMs: number | null; endMs: number | null; speaker: string | null; text: string }

/** The transcript, or the lines matching `search`, or (a cited moment with its context) those overlapping `fromMs`..`toMs`. */
export async function getSegments(
  db: Db,
  videoId: string,
  search?: string | null,
  range: { fromMs?: number; toMs?: number } = {},
): Promise<SegmentRow[]> {
  const matching = search ? db`and text ilike ${'%' + search.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}` : db``
  const from = range.fromMs === undefined ? db`` : db`and coalesce(end_ms, start_ms) >= ${range.fromMs}`
  const to = range.toMs === undefined ? db`` : db`and start_ms <= ${range.toMs}`
  return db<
    SegmentRow[]
  >`select ordinal, start_ms, end_ms, speaker, text from transcript_segments where video_id = ${videoId} ${matching} ${from} ${to} order by ordinal`
}

/** The passages a video was cut into, written with them (jobs/queues/embed.ts). */
/** Sets the video's language; undefined when there is no such video. */
export async function updateVideoLanguage(db: Db, videoId: string, language: string | null): Promise<VideoRow | undefined> {
  const [row] = await db<
    VideoRow[]
  >`update videos set language = ${language}, updated_at = clock_timestamp() where id = ${videoId} returning ${db(VIDEO_COLUMNS)}`
  return row
}

/** Locks the video's row for a passage swap; what decides whether the swap still applies. */
export async function lockVideoPassages(
  db: Db,
  videoId: string,
): Promise<{ status: string; chunkerVersion: number; language: string | null } | undefined> {
  const [row] = await db<{ status: string; chunkerVersion: number; language: string | null }[]>`
    select status, chunker_version, language from videos where id = ${videoId} for update`
  return row
}

/** Ready videos whose passages a chunker older than `version` made, at most `limit`. */
export async function listVideosChunkedBefore(db: Db, version: number, limit: number): Promise<{ id: string }[]> {
  return db<{ id: string }[]>`select id from videos where status = 'ready' and chunker_version < ${version} order by id limit ${limit}`
}

/** The video's passage count and the chunker version that made them. */
export async function setVideoChunkCount(db: Db, videoId: string, chunkCount: number, chunkerVersion: number): Promise<void> {
  await db`update videos set chunk_count = ${chunkCount}, chunker_version = ${chunkerVersion} where id = ${videoId}`
}

export async function requeueVideo(db: Db, videoId: string): Promise<boolean> {
  const r =
    await db`update videos set status = 'queued', progress = 0, error = null, updated_at = clock_timestamp() where id = ${videoId} and status = 'failed'`
  return r.count > 0
}

/** For the access guard: the collection a video belongs to. */
export async function getVideoCollection(db: Db, videoId: string): Promise<{ collectionId: string } | undefined> {
  const [row] = await db<{ collectionId: string }[]>`select collection_id from videos where id = ${videoId}`
  return row
}
