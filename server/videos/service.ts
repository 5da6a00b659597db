// Adding videos. Each request validates what it can at once (format, parse,
// URL), then stores the video and its ingest job in one transaction and
// answers "queued": a job exists exactly when its video does.
import type { JobQueue } from '../platform/jobQueue.ts'
import type { Config } from '../platform/config.ts'
import type { Db, Sql } from '../platform/db.ts'
import { PG, pgErrorCode } from '../platform/db.ts'
import { BadRequestError, ConflictError, NotFoundError, UnprocessableError, UnsupportedMediaTypeError } from '../platform/errors.ts'
import { unmeteredUploads, type UploadMeter } from '../platform/quotaGate.ts'
import { reindexPassagesForLanguage } from '../retrieval/passages.ts'
import { estimateMinutes } from './estimateMinutes.ts'
import { decodeTranscript, detectFormat, parseTranscript } from './transcripts/parseTranscript.ts'
import type { UploadedFile } from './readUpload.ts'
import * as q from './sql.ts'
import { titleFromFilename } from './titleFromFilename.ts'
import { parseYoutubeUrl } from './youtube/parseYoutubeUrl.ts'

/** `meter` charges videos, bytes and minutes to the payer (billing); scripts that seed data leave it out. */
export type VideoDeps = { sql: Sql; queue: JobQueue; config: Config; meter?: UploadMeter }

const LANGUAGE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/

function language(value: string | undefined | null): string | null {
  if (!value) return null
  if (!LANGUAGE.test(value))
    throw new UnprocessableError('language_invalid', 'language must be a code such as en or pt-BR.', { field: 'language' })
  const [base, ...rest] = value.replace('_', '-').split('-')
  return [base!.toLowerCase(), ...rest].join('-')
}

function titleFrom(filename: string, given: string | undefined): string {
  const t = (given ?? '').replace(/\s+/g, ' ').trim() || titleFromFilename(filename)
  return t.slice(0, 500)
}

async function enqueue(deps: VideoDeps, video: q.NewVideo, upload: UploadedFile | null, minutes = 0): Promise<q.VideoRow> {
  return deps.sql.begin(async (tx) => {
    const row = await q.insertVideo(tx, video)
    // Over a limit this throws and the transaction writes nothing.
    await (deps.meter ?? unmeteredUploads).chargeNewVideo(tx, {
      collectionId: row.collectionId,
      actorId: video.addedBy,
      videoId: row.id,
      bytes: video.bytes ?? 0,
      minutes,
    })
    if (upload) await q.insertUpload(tx, row.id, upload)
    await deps.queue.send('ingest', { videoId: row.id }, { tx })
    await q.notifyVideoChanged(tx, row.collectionId, row.id)
    return row
  })
}

export async function addTranscript(deps: VideoDeps, collectionId: string, userId: string, file: UploadedFile): Promise<q.VideoRow> {
  if (file.bytes.byteLength === 0)
    throw new UnprocessableError('transcript_invalid', 'The file is empty.', { line: null, reason: 'empty transcript' })
  const format = detectFormat(file.filename, file.contentType, file.bytes)
  // Parsed now so a bad file is refused with its line number; the job parses the stored bytes again.
  const segments = parseTranscript(format, decodeTranscript(file.bytes))
  return enqueue(
    deps,
    {
      collectionId,
      addedBy: userId,
      sourceType: 'transcript',
      title: titleFrom(file.filename, file.fields.title),
      sourceFilename: file.filename,
      language: language(file.fields.language),
      transcriptFormat: format,
      hasTimestamps: segments.some((s) => s.startMs !== null),
      bytes: file.bytes.byteLength,
    },
    file,
  )
}

export async function addYoutube(
  deps: VideoDeps,
  collectionId: string,
  userId: string,
  input: { url: string; language?: string },
): Promise<q.VideoRow> {
  const { videoId } = parseYoutubeUrl(input.url)
  try {
    return await enqueue(
      deps,
      {
        collectionId,
        addedBy: userId,
        sourceType: 'youtube',
        title: `YouTube video ${videoId}`,
        sourceUrl: `https://www.youtube.com/watch?v=${videoId}`,
        youtubeId: videoId,
        requestedLanguage: language(input.language),
      },
      null,
    )
  } catch (err) {
    if (pgErrorCode(err) === PG.UNIQUE_VIOLATION)
      throw new ConflictError('video_exists', 'This YouTube video is already in the collection.')
    throw err
  }
}

/** Extensions an audio/video upload is taken by when its bytes do not say what it is. */
export const AUDIO_EXTENSIONS = [
  'mp3',
  'm4a',
  'mp4',
  'mpeg',
  'mpga',
  'wav',
  'webm',
  'ogg',
  'oga',
  'opus',
  'flac',
  'aac',
  'mov',
  'mkv',
  'avi',
  'wma',
  'amr',
]
const AUDIO_EXTENSION = new RegExp(`\\.(${AUDIO_EXTENSIONS.join('|')})$`, 'i')

export async function addAudio(deps: VideoDeps, collectionId: string, userId: string, file: UploadedFile): Promise<q.VideoRow> {
  if (!deps.config.TRANSCRIPTION_BASE_URL)
    throw new UnprocessableError(
      'transcription_not_configured',
      'This server cannot transcribe audio or video files. Upload a subtitle or transcript file instead.',
    )
  if (file.bytes.byteLength === 0) throw new UnprocessableError('audio_empty', 'The file is empty.')
  const { fileTypeFromBuffer } = await import('file-type')
  const sniffed = await fileTypeFromBuffer(file.bytes)
  const looksLikeMedia = sniffed ? /^(audio|video)\//.test(sniffed.mime) : AUDIO_EXTENSION.test(file.filename)
  if (!looksLikeMedia)
    throw new UnsupportedMediaTypeError(
      `${file.filename} does not look like an audio or video file${sniffed ? ` (it is ${sniffed.mime})` : ''}.`,
    )
  return enqueue(
    deps,
    {
      collectionId,
      addedBy: userId,
      sourceType: 'audio',
      title: titleFrom(file.filename, file.fields.title),
      sourceFilename: file.filename,
      language: language(file.fields.language),
      requestedLanguage: language(file.fields.language),
      transcriptFormat: 'transcription',
      bytes: file.bytes.byteLength,
    },
    file,
    await estimateMinutes(file),
  )
}

/** Ids of a collection's videos (billing gives back their slots when the collection is deleted). */
export async function videoIdsIn(db: Db, collectionId: string): Promise<string[]> {
  return q.listVideoIds(db, collectionId)
}

/** Deletes a video with its transcript, passages and vectors, gives its quota back and tells the progress streams. */
export async function deleteVideo(deps: Pick<VideoDeps, 'sql' | 'meter'>, collectionId: string, videoId: string): Promise<void> {
  await deps.sql.begin(async (tx) => {
    await (deps.meter ?? unmeteredUploads).releaseVideos(tx, [videoId])
    await q.deleteVideo(tx, videoId)
    await q.notifyVideoChanged(tx, collectionId, videoId, true)
  })
}

/** A video by id, for capabilities that have already checked the caller's role (see collections/access.ts). */
export async function findVideo(sql: Sql, videoId: string): Promise<q.VideoRow | undefined> {
  return q.getVideo(sql, videoId)
}

/** A failed video goes back to the queue; its old segments and chunks are replaced when the new run succeeds. */
export async function retryVideo(deps: VideoDeps, videoId: string, userId: string): Promise<void> {
  await deps.sql.begin(async (tx) => {
    if (!(await q.requeueVideo(tx, videoId))) throw new ConflictError('video_not_failed', 'Only a failed video can be retried.')
    const failed = await q.getVideo(tx, videoId)
    // A failed transcription gave its minutes back; the new run reserves them again (by size: the file is not probed twice).
    if (failed?.sourceType === 'audio')
      await (deps.meter ?? unmeteredUploads).chargeRetry(tx, {
        collectionId: failed.collectionId,
        actorId: userId,
        videoId,
        minutes: Math.max(1, Math.ceil((failed.bytes ?? 0) / 16_000 / 60)),
      })
    await deps.queue.send('ingest', { videoId }, { tx })
    const video = await q.getVideo(tx, videoId)
    await q.notifyVideoChanged(tx, video!.collectionId, videoId)
  })
}

/**
 * Renames a video and/or corrects its language (detected at ingest, or given
 * at upload), in one transaction (editors; the access guard checked the role).
 * A new language re-indexes its passages for full text at once, in the same
 * transaction, so search never mixes the two. Everything is checked before
 * anything is written.
 */
export async function updateVideo(
  deps: Pick<VideoDeps, 'sql'>,
  videoId: string,
  change: { title?: string; language?: string | null },
): Promise<q.VideoRow> {
  const title = change.title?.replace(/\s+/g, ' ').trim()
  if (title === '') throw new BadRequestError('title_invalid', 'A video needs a title.')
  const code = change.language === undefined ? undefined : language(change.language)
  if (title === undefined && code === undefined) throw new BadRequestError('nothing_to_change', 'Give a title or a language.')
  return deps.sql.begin(async (tx) => {
    let row = title === undefined ? undefined : await q.renameVideo(tx, videoId, title)
    if (code !== undefined) {
      row = await q.updateVideoLanguage(tx, videoId, code)
      if (row) await reindexPassagesForLanguage(tx, videoId, code)
    }
    if (!row) throw new NotFoundError('Video')
    await q.notifyVideoChanged(tx, row.collectionId, videoId)
    return row
  })
}
