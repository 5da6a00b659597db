// What GET /api/capabilities answers (see index.ts).
import { t } from 'elysia'

export const CapabilitiesModel = t.Object({
  /** Claude writes answers and Studio documents; false: they quote the best passages (extractive mode). */
  languageModel: t.Boolean(),
  /** Audio and video files are transcribed; false: only subtitle/transcript files are taken. */
  transcription: t.Boolean(),
  /** YouTube is reached through a proxy (YouTube blocks many cloud addresses; without one, captions often fail). */
  youtubeProxy: t.Boolean(),
  billing: t.Boolean(),
  /** Collections can be shared with members and links (always on in this version). */
  sharing: t.Boolean(),
  uploads: t.Object({
    transcriptExtensions: t.Array(t.String()),
    transcriptMaxBytes: t.Integer(),
    /** Empty without transcription. */
    audioExtensions: t.Array(t.String()),
    audioMaxBytes: t.Integer(),
  }),
})
export type Capabilities = typeof CapabilitiesModel.static
