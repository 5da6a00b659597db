// Fusing the vector ranking with the full-text ranking. Which fusion depends
// on the embedder: a semantic model finds passages that share no word with
// the question, so both lists get an equal vote (reciprocal rank fusion). The
// local embedder is lexical itself (hashed words and word pieces, without
// knowing how rare a word is), so it makes the same finds as full text, only
// ranked worse: fused as an equal, it pulled full text down across many
// videos (QMSum corpus R@10 65% against 70%). For it, full text ranks and the
// vectors fill in after its matches (`text-first`), so hybrid search never
// ranks below full text. Chosen on one half of QMSum's meetings among the
// four methods below, by the smallest worst-case margin against the better
// single method (R@10 and MRR@10, both scopes), and checked on the other half
// (benchmarks/retrieval-qmsum/README.md).

/** The usual constant of reciprocal rank fusion (Cormack et al.): flattens the head of each list. */
export const RRF_K = 60

/** One passage of the fused ranking; ranks are [vector, full text], 1-based, null when absent. */
export type FusedRank = { chunkId: number; score: number; ranks: (number | null)[] }

export const FUSION_METHODS = ['rrf', 'rrf-vector-half', 'text-gated-rrf', 'text-first'] as const
export type FusionMethod = (typeof FUSION_METHODS)[number]

/** The fusion search uses for vectors of this embedder. */
export function fusionFor(embedderIsLexical: boolean): FusionMethod {
  return embedderIsLexical ? LEXICAL_EMBEDDER_FUSION : 'rrf'
}

// Decided on the QMSum "choose" half (see the header).
export const LEXICAL_EMBEDDER_FUSION: FusionMethod = 'text-first'

/** Fuses a vector ranking and a full-text ranking (chunk ids, best first). */
export function fuse(method: FusionMethod, vector: readonly number[], text: readonly number[]): FusedRank[] {
  switch (method) {
    case 'rrf':
      return fuseRankings([vector, text])
    case 'rrf-vector-half':
      return fuseRankings([vector, text], RRF_K, [0.5, 1])
    case 'text-gated-rrf':
      return textGated(fuseRankings([vector, text]), new Set(text))
    case 'text-first':
      // A vector vote too small to swap two full-text ranks: it only orders the fill-ins.
      return textGated(fuseRankings([vector, text], RRF_K, [1e-3, 1]), new Set(text))
  }
}

/**
 * Reciprocal rank fusion: each list gives weight / (k + rank). Ties go to the
 * passage with the better single rank, then the lower id, so the same inputs
 * always give the same order.
 */
export function fuseRankings(lists: readonly (readonly number[])[], k: number = RRF_K, weights?: readonly number[]): FusedRank[] {
  const fused = new Map<number, FusedRank>()
  lists.forEach((list, which) => {
    const weight = weights?.[which] ?? 1
    list.forEach((chunkId, i) => {
      let entry = fused.get(chunkId)
      if (!entry) fused.set(chunkId, (entry = { chunkId, score: 0, ranks: lists.map(() => null) }))
      if (entry.ranks[which] !== null) return
      entry.ranks[which] = i + 1
      entry.score += weight / (k + i + 1)
    })
  })
  const best = (f: FusedRank) => Math.min(...f.ranks.map((r) => r ?? Infinity))
  return [...fused.values()].sort((a, b) => b.score - a.score || best(a) - best(b) || a.chunkId - b.chunkId)
}

/**
 * Passages full text matched keep their fused order; the rest follow in
 * theirs. Scores are rescaled so the order holds when results of several
 * searches are merged by score: the gated ones sit below every matched one.
 */
function textGated(fused: FusedRank[], matched: ReadonlySet<number>): FusedRank[] {
  const inText = fused.filter((f) => matched.has(f.chunkId))
  const rest = fused.filter((f) => !matched.has(f.chunkId))
  const floor = Math.min(...inText.map((f) => f.score), Infinity)
  const top = Math.max(...rest.map((f) => f.score), 0)
  const scale = rest.length && inText.length && top >= floor ? (floor / top) * 0.999 : 1
  return [...inText, ...rest.map((f) => ({ ...f, score: f.score * scale }))]
}
