// Where each hit opens: the moment of its passage that best answers the
// question. Placed after ranking, on the hits that are kept only, and the
// prepared passages can be kept too, so the citations of an answer built on
// them are placed without reading or re-stemming the passages again.
import { linkAtSeconds } from './deepLink.ts'
import type { Hit } from './model.ts'
import { type Moment, momentIn, passageMoments, type MomentCue, type PassageMoments } from './selectMoment.ts'

/** Passages prepared for moment selection, by chunk id (one question's worth). */
export type PreparedPassages = ReadonlyMap<number, PassageMoments>

/** Each passage's cues, by chunk id. */
export type PassageCues = ReadonlyMap<number, readonly MomentCue[]>

/**
 * The hits with their moments placed and links pointing there. A passage
 * already in `prepared` is not worked out again; new ones are added to it.
 */
export function placeMoments(
  hits: readonly Hit[],
  query: string,
  cues: PassageCues,
  prepared: Map<number, PassageMoments> = new Map(),
): Hit[] {
  return hits.map((hit) => {
    const lines = cues.get(hit.chunkId)
    if (!lines) return hit
    let passage = prepared.get(hit.chunkId)
    if (!passage) prepared.set(hit.chunkId, (passage = passageMoments(lines)))
    // A passage of an untimed video has no moment to open at.
    if (hit.startSeconds === null) return hit
    return atMoment(hit, momentIn(query, passage))
  })
}

type Linked = { deepLink: string; momentStartMs?: number | null; momentEndMs?: number | null; momentSeconds?: number | null }

/** A hit or a citation opening at `moment` (unchanged without one). */
export function atMoment<T extends Linked>(item: T, moment: Moment | null): T {
  if (!moment) return item
  const seconds = Math.floor(moment.startMs / 1000)
  return {
    ...item,
    momentStartMs: moment.startMs,
    momentEndMs: moment.endMs,
    momentSeconds: seconds,
    deepLink: linkAtSeconds(item.deepLink, seconds),
  }
}
