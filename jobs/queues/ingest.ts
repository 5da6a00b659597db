// ingest: a video's source -> normalised transcript segments, then hands over
// to `embed` in the same transaction. Safe to run twice: segments are replaced.
import { billingFor } from '../../server/billing/billing.ts'
import { chargeTranscriptBytes, settleTranscription, transcriptBytes } from '../../server/billing/transcriptionUsage.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UnprocessableError } from '../../server/platform/errors.ts'
import { decodeTranscript, detectFormat, parseTranscript, type Segment } from '../../server/videos/transcripts/parseTranscript.ts'
import { transcriptLanguage } from '../../server/videos/transcripts/transcriptLanguage.ts'
import { transcribeAudio } from '../../server/videos/transcription/transcribeAudio.ts'
import * as q from '../../server/videos/sql.ts'
import { fetchYoutubeVideo } from '../../server/videos/youtube/fetchYoutubeVideo.ts'
import { withUploadAdvice } from '../../server/videos/youtube/youtubeErrors.ts'
import { handlePipelineError } from '../videoFailure.ts'
import type { JobContext, JobHandler } from '../worker.ts'

type Ingested = {
  segments: Segment[]
  title?: string
  durationMs?: number | null
  language?: string | null
  captionKind?: string | null
  transcriptFormat?: string
}

async function fromUpload(ctx: JobContext, video: q.VideoRow): Promise<Ingested> {
  const upload = await q.getUpload(ctx.sql, video.id)
  if (!upload)
    throw new UnprocessableError('upload_missing', 'The uploaded file is no longer stored. Delete this video and upload it again.')
  const bytes = new Uint8Array(upload.content)
  const format = detectFormat(upload.filename, upload.contentType, bytes)
  const raw = decodeTranscript(bytes)
  const segments = parseTranscript(format, raw)
  // Only consulted when the uploader named no language (see ingest below).
  const language = video.language ? null : transcriptLanguage({ filename: upload.filename, raw, texts: segments.map((s) => s.text) })
  return { segments, transcriptFormat: format, language }
}

async function fromYoutube(ctx: JobContext, video: q.VideoRow): Promise<Ingested> {
  const yt = await fetchYoutubeVideo(video.youtubeId!, {
    baseUrl: ctx.config.YOUTUBE_BASE_URL,
    proxyUrl: ctx.config.YOUTUBE_PROXY_URL ?? null,
    language: video.requestedLanguage,
    signal: ctx.signal,
  }).catch((err: unknown) => {
    // The advice names only what this server can take instead (audio only with a transcription service).
    throw withUploadAdvice(err, Boolean(ctx.config.TRANSCRIPTION_BASE_URL))
  })
  return {
    segments: yt.segments,
    title: yt.title,
    durationMs: yt.durationMs,
    language: yt.language,
    captionKind: yt.captionKind,
    transcriptFormat: 'youtube_xml',
  }
}

async function fromAudio(ctx: JobContext, video: q.VideoRow): Promise<Ingested> {
  const { config } = ctx
  if (!config.TRANSCRIPTION_BASE_URL)
    throw new UnprocessableError(
      'transcription_not_configured',
      'This server cannot transcribe audio or video files. Delete this video and upload a subtitle or transcript file instead.',
    )
  const upload = await q.getUpload(ctx.sql, video.id)
  if (!upload)
    throw new UnprocessableError('upload_missing', 'The uploaded file is no longer stored. Delete this video and upload it again.')
  const dir = await mkdtemp(join(tmpdir(), 'kt-audio-'))
  try {
    const path = join(dir, 'input' + (/\.[A-Za-z0-9]{1,8}$/.exec(upload.filename)?.[0] ?? ''))
    await writeFile(path, upload.content)
    let last = 0
    const result = await transcribeAudio(
      { path, filename: upload.filename, contentType: upload.contentType },
      {
        baseUrl: config.TRANSCRIPTION_BASE_URL,
        apiKey: config.TRANSCRIPTION_API_KEY ?? null,
        model: config.TRANSCRIPTION_MODEL,
        maxUploadBytes: config.TRANSCRIPTION_MAX_UPLOAD_BYTES,
        language: video.requestedLanguage,
        signal: ctx.signal,
        onProgress: (fraction) => {
          const percent = 5 + Math.floor(fraction * 50)
          if (percent > last) {
            last = percent
            void q.setVideoStatus(ctx.sql, video.id, { progress: percent }).catch(() => {})
          }
        },
      },
    )
    return { segments: result.segments, durationMs: result.durationMs, language: result.language, transcriptFormat: 'transcription' }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export const ingest: JobHandler<'ingest'> = async ({ videoId }, ctx) => {
  const video = await q.getVideo(ctx.sql, videoId)
  if (!video) return // deleted while queued
  if (!(await q.setVideoStatus(ctx.sql, videoId, { status: 'processing', progress: 5 }))) return
  try {
    const source = video.sourceType === 'youtube' ? fromYoutube : video.sourceType === 'audio' ? fromAudio : fromUpload
    const result = await source(ctx, video)
    ctx.signal.throwIfAborted()
    if (result.segments.length === 0) throw new UnprocessableError('transcript_empty', 'The transcript has no text.')
    const last = result.segments.at(-1)!
    await ctx.sql.begin(async (tx) => {
      if (!(await q.getVideo(tx, videoId))) return
      await q.replaceSegments(tx, videoId, result.segments)
      if (video.sourceType === 'audio') await settleTranscription(tx, videoId, result.durationMs ?? last.endMs ?? null)
      if (video.sourceType !== 'transcript')
        await chargeTranscriptBytes(tx, billingFor(ctx.config), {
          videoId,
          collectionId: video.collectionId,
          bytes: transcriptBytes(result.segments),
        })
      await q.updateVideoMetadata(tx, videoId, {
        title: video.sourceType === 'youtube' ? result.title : null,
        durationMs: result.durationMs ?? last.endMs ?? null,
        language: video.language ? null : (result.language ?? null),
        captionKind: result.captionKind ?? null,
        hasTimestamps: result.segments.some((s) => s.startMs !== null),
        segmentCount: result.segments.length,
        transcriptFormat: result.transcriptFormat ?? null,
      })
      await q.setVideoStatus(tx, videoId, { progress: 60 })
      await ctx.queue.send('embed', { videoId }, { tx })
    })
  } catch (err) {
    await handlePipelineError(ctx, videoId, err)
  }
}
