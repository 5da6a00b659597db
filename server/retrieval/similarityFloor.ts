// A relevance floor (a conversation's min_similarity): passages whose
// embedding is less similar to the question's than the floor are dropped
// before the top k are taken, so a high floor can leave fewer passages, or
// none. Similarity is cosine similarity (1 − pgvector's cosine distance). A
// passage full text found but the vector search did not rank is less similar
// than every passage it ranked (the vector side returns the nearest ones), so
// it is dropped once the floor is above the least similar ranked passage.
// Without vectors (no embedding model yet, the embedder failed) there is
// nothing to compare: the floor cannot apply and every passage stays.
import type { FusedRank } from './fusion.ts'
import type { VectorMatch } from './sql.ts'

export function aboveFloor(fused: FusedRank[], vector: readonly VectorMatch[] | null, minSimilarity: number): FusedRank[] {
  if (minSimilarity <= 0 || vector === null) return fused
  const similarity = new Map(vector.map((m) => [m.chunkId, 1 - m.distance]))
  const weakest = vector.length ? 1 - Math.max(...vector.map((m) => m.distance)) : -1
  return fused.filter((f) => (similarity.get(f.chunkId) ?? (minSimilarity > weakest ? -1 : minSimilarity)) >= minSimilarity)
}
