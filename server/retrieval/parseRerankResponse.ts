// Reading a reranker's answer, field by field: it is outside JSON, and a
// reranker that answers garbage must not reorder anything. Both protocols give
// a score per document index; the result is the score of each index that came
// back (a server may return fewer than it was sent, never an index twice).
export type RerankApi = 'cohere' | 'tei'

export class InvalidRerankResponse extends Error {
  constructor(detail: string) {
    super(`reranker answered unexpectedly: ${detail}`)
    this.name = 'InvalidRerankResponse'
  }
}

/** Scores by document index. `cohere`: `{results: [{index, relevance_score}]}`; `tei`: `[{index, score}]`. */
export function parseRerankResponse(api: RerankApi, body: unknown, documents: number): Map<number, number> {
  const items = api === 'tei' ? body : (body as { results?: unknown } | null)?.results
  const scoreField = api === 'tei' ? 'score' : 'relevance_score'
  if (!Array.isArray(items)) throw new InvalidRerankResponse(api === 'tei' ? 'not a list of ranks' : 'no `results` list')
  if (items.length === 0) throw new InvalidRerankResponse('no results')
  const scores = new Map<number, number>()
  items.forEach((item: unknown, position) => {
    const index = (item as { index?: unknown } | null)?.index
    const score = (item as Record<string, unknown> | null)?.[scoreField]
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= documents || scores.has(index))
      throw new InvalidRerankResponse(`result ${position} has a missing, repeated or out-of-range index`)
    if (typeof score !== 'number' || !Number.isFinite(score))
      throw new InvalidRerankResponse(`result ${position} has no finite \`${scoreField}\``)
    scores.set(index, score)
  })
  return scores
}
