// Passages for other capabilities: a video's passages in order, linked to
// their moments the same way search hits are, and passage texts by id.
import type { Db } from '../platform/db.ts'
import { passageLink } from './deepLink.ts'
import type { MomentCue } from './selectMoment.ts'
import * as q from './sql.ts'

export type Passage = {
  chunkId: number
  videoId: string
  videoTitle: string
  text: string
  startMs: number | null
  endMs: number | null
  startSeconds: number | null
  endSeconds: number | null
  speakers: string[]
  deepLink: string
}

/** The first `limit` passages of a video, in playback order. */
export async function videoPassages(db: Db, publicUrl: string, videoId: string, limit: number): Promise<Passage[]> {
  const rows = await q.listVideoPassages(db, videoId, limit)
  return rows.map((r) => ({
    chunkId: r.chunkId,
    videoId: r.videoId,
    videoTitle: r.videoTitle,
    text: r.text,
    startMs: r.startMs,
    endMs: r.endMs,
    speakers: r.speakers,
    ...passageLink(r, publicUrl),
  }))
}

/** The cues (timed lines) of each passage, in order: where a moment inside it can be picked. */
export async function passageCues(db: Db, chunkIds: readonly number[]): Promise<Map<number, MomentCue[]>> {
  return chunkIds.length ? q.getChunkCues(db, chunkIds) : new Map()
}

/** Texts of the passages that still exist, by chunk id. */
export async function passageTexts(db: Db, chunkIds: readonly number[]): Promise<Map<number, string>> {
  return new Map((await q.getChunkTexts(db, chunkIds)).map((r) => [r.chunkId, r.text]))
}

/** Re-indexes a video's passages for full text in `language` (inside the caller's transaction). */
export async function reindexPassagesForLanguage(db: Db, videoId: string, language: string | null): Promise<void> {
  await q.setVideoTextSearchLanguage(db, videoId, language)
}
