// Reciprocal rank fusion (Cormack et al., 2009): each list votes 1 / (k + rank)
// for its items, so lists with incomparable scores (BM25, cosine) can be merged.

export function reciprocalRankFusion(lists: readonly (readonly number[])[], k = 60): number[] {
  const scores = new Map<number, number>()
  for (const list of lists) list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)))
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id)
}
