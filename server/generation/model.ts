// Schemas shared by everything that streams a generation (chat answers,
// artifacts): the numbered, cited source. The TypeScript types come from here.
import { t } from 'elysia'

const source = t.Object({
  n: t.Integer(),
  chunkId: t.Integer(),
  videoId: t.String(),
  videoTitle: t.String(),
  startMs: t.Nullable(t.Integer()),
  endMs: t.Nullable(t.Integer()),
  startSeconds: t.Nullable(t.Integer()),
  endSeconds: t.Nullable(t.Integer()),
  /**
   * The moment inside the passage the link opens at: for a source, the lines
   * that best match the question; for a citation, the lines that best match
   * the sentences citing it. Null without timing (or for answers saved before moments).
   */
  momentStartMs: t.Optional(t.Nullable(t.Integer())),
  momentEndMs: t.Optional(t.Nullable(t.Integer())),
  momentSeconds: t.Optional(t.Nullable(t.Integer())),
  speakers: t.Array(t.String()),
  deepLink: t.String(),
  snippet: t.String(),
})

export const GenerationModel = {
  source,
  streamQuery: t.Object({ lastEventId: t.Optional(t.String({ maxLength: 20 })) }),
}

/** A numbered passage an answer or a document may cite. */
export type SourceView = typeof GenerationModel.source.static
