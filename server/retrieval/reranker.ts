// The optional reranker (RERANK_BASE_URL): after fusion, the top candidates
// are scored against the question by a cross-encoder and reordered; that order
// decides the top k. It only orders: the relevance floors have already run on
// the fused candidates and still decide which passages may appear (why:
// docs/reranker.md). A reranker that fails, is late or answers garbage never
// fails a search: the fused order stays, with a warning in the log and a count
// in `kt.rerank.requests{outcome}`.
import type { Meter } from '@opentelemetry/api'
import type { Config } from '../platform/config.ts'
import type { Logger } from '../platform/logger.ts'
import type { Hit } from './model.ts'
import { createRerankClient, RerankError, type RerankClient } from './rerankClient.ts'

export type Reranker = {
  /** How many of the fused hits are sent (RERANK_CANDIDATES). */
  candidates: number
  /**
   * The first `candidates` hits in the reranker's order, each with its
   * `rerankScore`, then the rest as they were; on any failure the hits as
   * they were. Never throws.
   */
  rerank(query: string, hits: readonly Hit[]): Promise<Hit[]>
}

export type RerankerDeps = { meter: Meter; logger: Logger }

/** The reranker RERANK_* configure, or null when RERANK_BASE_URL is unset (off). */
export function createReranker(
  config: Pick<Config, 'RERANK_BASE_URL' | 'RERANK_API' | 'RERANK_MODEL' | 'RERANK_API_KEY' | 'RERANK_CANDIDATES' | 'RERANK_TIMEOUT_MS'>,
  deps: RerankerDeps,
): Reranker | null {
  if (!config.RERANK_BASE_URL) return null
  const client = createRerankClient({
    baseUrl: config.RERANK_BASE_URL,
    api: config.RERANK_API,
    model: config.RERANK_MODEL,
    apiKey: config.RERANK_API_KEY,
    timeoutMs: config.RERANK_TIMEOUT_MS,
  })
  return rerankerWith(client, config.RERANK_CANDIDATES, deps)
}

export function rerankerWith(client: RerankClient, candidates: number, deps: RerankerDeps): Reranker {
  const requests = deps.meter.createCounter('kt.rerank.requests', {
    unit: '{request}',
    description:
      'Reranker calls by outcome: reranked, or the fused order kept because of a timeout, an unreachable server, an HTTP error or an invalid answer.',
  })
  return {
    candidates,
    async rerank(query, hits) {
      // One passage has no order to change: no call.
      if (hits.length < 2) return [...hits]
      const head = hits.slice(0, candidates)
      let scores: Map<number, number>
      try {
        scores = await client.score(
          query,
          head.map((h) => h.text),
        )
      } catch (error) {
        const reason = error instanceof RerankError ? error.reason : 'invalid'
        requests.add(1, { outcome: reason })
        // The message names the server and the failure only; the key is in no message.
        deps.logger.warn('reranker failed; keeping the fused order', { reason, error: String((error as Error).message ?? error) })
        return [...hits]
      }
      requests.add(1, { outcome: 'reranked' })
      // Passages the reranker left out (a server may return fewer) follow the scored ones, in fused order.
      const order = head
        .map((hit, i) => ({ hit, i, score: scores.get(i) }))
        .sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.i - b.i)
      return [...order.map(({ hit, score }) => ({ ...hit, rerankScore: score ?? null })), ...hits.slice(candidates)]
    },
  }
}
