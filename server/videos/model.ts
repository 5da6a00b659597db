// Schemas of the video routes.
import { t } from 'elysia'

const languageCode = t.String({
  pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$',
  maxLength: 35,
  error: 'must be a language code such as en or pt-BR',
})

export const VideoModel = {
  collectionParams: t.Object({ id: t.String({ format: 'uuid' }) }),
  videoParams: t.Object({ id: t.String({ format: 'uuid' }) }),
  youtube: t.Object({
    url: t.String({ minLength: 1, maxLength: 2000 }),
    language: t.Optional(languageCode),
  }),
  /** A new title, and/or correcting what was detected (null forgets the language: full text then matches words as written). */
  update: t.Object({
    title: t.Optional(t.String({ minLength: 1, maxLength: 300, description: 'The new title (spaces are collapsed; blank is refused).' })),
    language: t.Optional(t.Nullable(languageCode)),
  }),
  transcriptQuery: t.Object({
    q: t.Optional(t.String({ maxLength: 200 })),
    fromMs: t.Optional(
      t.Integer({ minimum: 0, description: 'Only segments that end at or after this time (a cited moment with its context).' }),
    ),
    toMs: t.Optional(t.Integer({ minimum: 0, description: 'Only segments that start at or before this time.' })),
  }),
  video: t.Object({
    id: t.String(),
    collectionId: t.String(),
    title: t.String(),
    sourceType: t.Union([t.Literal('youtube'), t.Literal('transcript'), t.Literal('audio')]),
    sourceUrl: t.Nullable(t.String()),
    sourceFilename: t.Nullable(t.String()),
    youtubeId: t.Nullable(t.String()),
    language: t.Nullable(t.String()),
    durationMs: t.Nullable(t.Integer()),
    status: t.Union([t.Literal('queued'), t.Literal('processing'), t.Literal('ready'), t.Literal('failed')]),
    progress: t.Integer(),
    error: t.Nullable(t.String()),
    hasTimestamps: t.Boolean({ description: 'False for plain-text transcripts: passages have no time and cannot link to a moment.' }),
    captionKind: t.Nullable(t.String()),
    segmentCount: t.Nullable(t.Integer()),
    chunkCount: t.Nullable(t.Integer()),
    watchUrl: t.Nullable(t.String()),
    createdAt: t.String(),
    updatedAt: t.String(),
    readyAt: t.Nullable(t.String()),
  }),
  segment: t.Object({
    ordinal: t.Integer(),
    startMs: t.Nullable(t.Integer()),
    endMs: t.Nullable(t.Integer()),
    speaker: t.Nullable(t.String()),
    text: t.String(),
  }),
}

export type VideoView = typeof VideoModel.video.static
export type VideoStatus = VideoView['status']
export type SegmentView = typeof VideoModel.segment.static
