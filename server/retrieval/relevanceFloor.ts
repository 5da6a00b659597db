// The relevance floor of the search page: hits a reader would call filler are
// dropped, so a question nothing answers gets "Nothing matched" instead of the
// k least-bad passages. Two rules, both measured on real transcripts
// (benchmarks/retrieval-qmsum/relevanceFloor.ts, RESULTS.md "relevance floor"):
//   - a full-text match stays when it covers enough of the question: its
//     IDF-weighted score as a share of the question's whole IDF weight (a
//     passage matching only "discuss" of "what did they discuss about the
//     remote's battery" covers little of it);
//   - a passage the vectors found stays when it is close enough. Distances
//     mean different things per model, so the bound is per model and known
//     only for the local embedder; other models' vector hits are kept.
// A hit passing either rule stays.
import type { FusedRank } from './fusion.ts'
import { localEmbedder } from './localEmbedder.ts'

/**
 * Full-text matches covering less than this share of the question's weight are
 * dropped. The highest share of the grid that costs at most one point of
 * on-topic R@20 on QMSum's choose half (0.8); on the report half it costs none,
 * and off-topic questions (QMSum's, asked of five real talks) keep 2 hits on
 * average instead of 20, 44–46 % of them none at all. Relevant passages cover a
 * median 0.09–0.10 of the question, off-topic matches 0.015.
 */
export const MIN_TEXT_SHARE = 0.03

/**
 * Cosine distance above which a vector hit is filler, per embedding model. For
 * the local embedder no relevant passage was found by its vector alone in the
 * top 20 on QMSum; the ones it brought in sat at 0.83–0.90, off-topic ones at
 * 0.90–0.97.
 */
export const MAX_VECTOR_ONLY_DISTANCE: Readonly<Record<string, number>> = {
  [localEmbedder.name]: 0.8,
}

export type FloorInput = {
  /** Share of the question each full-text match covers, best first (index = rank − 1). */
  textShares: readonly number[]
  /** Cosine distance of each vector match, nearest first (index = rank − 1). */
  vectorDistances: readonly number[]
  /** The model the vectors were made by; null without vectors. */
  model: string | null
}

/** The fused ranking without the hits below the floor, order kept. */
export function aboveRelevanceFloor(
  fused: readonly FusedRank[],
  input: FloorInput,
  floor: { textShare: number; maxDistance?: number } = { textShare: MIN_TEXT_SHARE },
): FusedRank[] {
  // The benchmark passes its own bounds to compare them; search uses the measured ones.
  const maxDistance = floor.maxDistance ?? (input.model === null ? undefined : MAX_VECTOR_ONLY_DISTANCE[input.model])
  return fused.filter(({ ranks: [vectorRank, textRank] }) => {
    const textOk = textRank != null && input.textShares[textRank - 1]! >= floor.textShare
    const vectorOk = vectorRank != null && (maxDistance === undefined || input.vectorDistances[vectorRank - 1]! <= maxDistance)
    return textOk || vectorOk
  })
}
