// Routes of the videos capability: adding videos from each source, their
// status and transcripts, retry and delete, and the per-collection progress stream.
import { Elysia, t } from 'elysia'
import { authContext, streamOwner } from '../auth/guard.ts'
import { accessContext } from '../collections/accessGuard.ts'
import { NotFoundError } from '../platform/errors.ts'
import { sseResponse } from '../platform/sse.ts'
import type { StreamAccess } from '../platform/streamAccess.ts'
import { VideoModel } from './model.ts'
import type { ProgressHub } from './progressHub.ts'
import { readUpload } from './readUpload.ts'
import * as service from './service.ts'
import * as q from './sql.ts'
import { videoView } from './views.ts'

export function videoRoutes(deps: service.VideoDeps & { hub: ProgressHub; access: StreamAccess }) {
  const { sql, config, hub } = deps
  const accepted = (set: { status?: number | string; headers: Record<string, unknown> }, row: q.VideoRow) => {
    set.status = 202
    set.headers.location = `/api/videos/${row.id}`
    return videoView(row)
  }
  return new Elysia({ name: 'videos', prefix: '/api' })
    .use(authContext)
    .use(accessContext)
    .get(
      '/collections/:id/videos',
      async ({ params }) => {
        return (await q.listVideos(sql, params.id)).map(videoView)
      },
      {
        params: VideoModel.collectionParams,
        response: t.Array(VideoModel.video),
        detail: { summary: 'Videos of a collection with their status', tags: ['videos'] },
      },
    )
    .post(
      '/collections/:id/videos/transcripts',
      async ({ auth, params, request, set }) => {
        const file = await readUpload(request, config.TRANSCRIPT_MAX_BYTES)
        return accepted(set, await service.addTranscript(deps, params.id, auth.userId, file))
      },
      {
        params: VideoModel.collectionParams,
        detail: {
          summary: 'Add a transcript or subtitle file (multipart field `file`; optional `title`, `language`)',
          description:
            'WebVTT, SRT, SBV, YouTube timedtext XML or json3, or plain text. A malformed file is refused with 422 and the line number.',
          tags: ['videos'],
        },
      },
    )
    .post(
      '/collections/:id/videos/youtube',
      async ({ auth, params, body, set }) => {
        return accepted(set, await service.addYoutube(deps, params.id, auth.userId, body))
      },
      {
        params: VideoModel.collectionParams,
        body: VideoModel.youtube,
        detail: { summary: 'Add a YouTube video by URL (captions are fetched in the background)', tags: ['videos'] },
      },
    )
    .post(
      '/collections/:id/videos/audio',
      async ({ auth, params, request, set }) => {
        const file = await readUpload(request, config.AUDIO_MAX_BYTES)
        return accepted(set, await service.addAudio(deps, params.id, auth.userId, file))
      },
      {
        params: VideoModel.collectionParams,
        detail: { summary: 'Add an audio or video file to transcribe (multipart field `file`)', tags: ['videos'] },
      },
    )
    .get(
      '/collections/:id/events',
      async ({ auth, params, request }) => {
        return sseResponse(
          request,
          async (send) => {
            const unsubscribe = hub.subscribe(params.id, (event) => {
              if (event.type === 'video') send.event('video', videoView(event.video))
              else send.event('deleted', { id: event.videoId })
            })
            // Subscribe first, then send the snapshot: no change can fall between the two.
            send.event('snapshot', (await q.listVideos(sql, params.id)).map(videoView))
            return unsubscribe
          },
          { access: { guard: deps.access, owner: streamOwner(auth, params.id) } },
        )
      },
      {
        params: VideoModel.collectionParams,
        detail: {
          summary: 'Live progress of the collection’s videos (Server-Sent Events: `snapshot`, then `video` and `deleted`)',
          tags: ['videos'],
        },
      },
    )
    .get(
      '/videos/:id',
      async ({ params }) => {
        const v = await q.getVideo(sql, params.id)
        if (!v) throw new NotFoundError('Video')
        return videoView(v)
      },
      { params: VideoModel.videoParams, response: VideoModel.video, detail: { summary: 'One video', tags: ['videos'] } },
    )
    .get(
      '/videos/:id/transcript',
      async ({ params, query }) => {
        return { segments: await q.getSegments(sql, params.id, query.q?.trim() || null, { fromMs: query.fromMs, toMs: query.toMs }) }
      },
      {
        params: VideoModel.videoParams,
        query: VideoModel.transcriptQuery,
        response: t.Object({ segments: t.Array(VideoModel.segment) }),
        detail: {
          summary: 'The transcript: segments with times and speakers (`q` filters; `fromMs`/`toMs` give the lines around a moment)',
          tags: ['videos'],
        },
      },
    )
    .patch('/videos/:id', async ({ params, body }) => videoView(await service.updateVideo(deps, params.id, body)), {
      params: VideoModel.videoParams,
      body: VideoModel.update,
      response: VideoModel.video,
      detail: {
        summary: 'Rename a video, or correct its language (its passages are re-indexed for full text in that language); editors',
        tags: ['videos'],
      },
    })
    .post(
      '/videos/:id/retry',
      async ({ auth, params, set }) => {
        await service.retryVideo(deps, params.id, auth.userId)
        const v = await q.getVideo(sql, params.id)
        set.status = 202
        return videoView(v!)
      },
      { params: VideoModel.videoParams, detail: { summary: 'Queue a failed video again', tags: ['videos'] } },
    )
    .delete(
      '/videos/:id',
      async ({ access, params, set }) => {
        const { collectionId } = access
        await service.deleteVideo(deps, collectionId, params.id)
        hub.publishLocal(collectionId, { type: 'deleted', videoId: params.id })
        set.status = 204
      },
      { params: VideoModel.videoParams, detail: { summary: 'Delete a video with its transcript, passages and vectors', tags: ['videos'] } },
    )
}
