// One scope of the QMSum benchmark on Postgres (postgres.ts): every meeting
// loaded (twice: with the 'english' configuration and vectors, and 'simple'
// without), then each query searched by every method, interleaved, with the
// hits read back as turn ranges for recall, MRR and moment error; and each
// fusion method on the same two rankings.
import { insertCollection } from '../../server/collections/sql.ts'
import type { Sql } from '../../server/platform/db.ts'
import { fuse, FUSION_METHODS, type FusionMethod } from '../../server/retrieval/fusion.ts'
import { hybridSearch, rankedLists, type HybridSearchOptions } from '../../server/retrieval/hybridSearch.ts'
import type { Reranker } from '../../server/retrieval/reranker.ts'
import type { EmbeddingProvider } from '../../server/retrieval/types.ts'
import { OTHER_MEETING, type ChunkRange, type QueryRun } from './evaluate.ts'
import { type LoadedMeeting, loadMeeting } from './loadMeeting.ts'
import { momentSample } from './momentError.ts'
import type { MomentProbe } from './momentSweep.ts'
import type { QmsumMeeting } from './qmsum.ts'
import { METHODS, type Method, type MethodRuns } from './tables.ts'

export const K = 10
export const CANDIDATES = 50
export const SCOPES = ['meeting', 'corpus'] as const
export type Scope = (typeof SCOPES)[number]

function optionsFor(method: Method, embedder: EmbeddingProvider, collectionId: string, query: string): HybridSearchOptions {
  const vector = method === 'vector' || method === 'hybrid' || method === 'hybrid, reranked'
  return {
    collectionIds: [collectionId],
    query,
    k: K,
    candidates: CANDIDATES,
    embedder: vector ? embedder : null,
    model: vector ? embedder.name : null,
    dimensions: vector ? embedder.dimensions : null,
    publicUrl: 'http://localhost',
    fullText: method !== 'vector',
  }
}

type ScopeRun = MethodRuns & { fusions: Record<FusionMethod, QueryRun[]>; probes: MomentProbe[]; chunks: number }

/** Loads all meetings for one scope, then runs the queries of `asked` by every method, interleaved. */
export async function runScope(
  sql: Sql,
  embedder: EmbeddingProvider,
  userId: string,
  scope: Scope,
  meetings: readonly QmsumMeeting[],
  asked: readonly QmsumMeeting[],
  maxDurationMs: number,
  momentsOnly = false,
  reranker: Reranker | null = null,
): Promise<ScopeRun> {
  const methods: readonly Method[] = momentsOnly ? ['hybrid'] : METHODS.filter((m) => reranker || m !== 'hybrid, reranked')
  // As rankCollections does: the top candidates of the same fused ranking, reordered, cut at k.
  const search = async (method: Method, collectionId: string, query: string) => {
    if (method !== 'hybrid, reranked' || !reranker) return hybridSearch(sql, optionsFor(method, embedder, collectionId, query))
    const fused = await hybridSearch(sql, { ...optionsFor(method, embedder, collectionId, query), k: Math.max(K, reranker.candidates) })
    return { ...fused, hits: (await reranker.rerank(query, fused.hits)).slice(0, K) }
  }
  const sets = { english: new Map<string, LoadedMeeting>(), simple: new Map<string, LoadedMeeting>() }
  const languages = [
    ['english', 'en', true],
    ['simple', null, false],
  ] as const
  for (const [set, language, withVectors] of momentsOnly ? languages.slice(0, 1) : languages) {
    const shared = scope === 'corpus' ? await insertCollection(sql, userId, `QMSum ${set}`, '') : null
    for (const m of meetings) {
      const collectionId = shared ?? (await insertCollection(sql, userId, `QMSum ${set} ${m.id}`, ''))
      sets[set].set(
        m.id,
        await loadMeeting(sql, { embedder: withVectors ? embedder : null, userId, collectionId, meeting: m, language, maxDurationMs }),
      )
    }
  }
  await sql`analyze`

  // What a hit is, per query: its own meeting's turn range, or OTHER_MEETING.
  const rangesFor = (loaded: Map<string, LoadedMeeting>, meetingId: string) => {
    const byId = new Map<number, ChunkRange>()
    for (const [id, l] of loaded) {
      if (scope === 'meeting' && id !== meetingId) continue
      l.ids.forEach((chunkId, i) => byId.set(chunkId, id === meetingId ? l.ranges[i]! : OTHER_MEETING))
    }
    return { byId, candidates: [...byId.values()] }
  }

  // Warm the caches and connections so the first measured queries are not outliers.
  const first = asked[0]!
  for (const method of methods) for (const { query } of first.queries) await search(method, sets.english.get(first.id)!.collectionId, query)

  const empty = <T>() => Object.fromEntries(METHODS.map((m) => [m, [] as T[]])) as Record<Method, T[]>
  const run: ScopeRun = {
    runs: empty(),
    latencies: empty(),
    moments: empty(),
    fusions: Object.fromEntries(FUSION_METHODS.map((f) => [f, []])) as unknown as Record<FusionMethod, QueryRun[]>,
    probes: [],
    chunks: [...sets.english.values()].reduce((n, l) => n + l.ids.length, 0),
  }
  for (const meeting of asked) {
    const turns = { startMs: meeting.segments.map((s) => s.startMs!), endMs: meeting.segments.map((s) => s.endMs!) }
    for (const { query, spans } of meeting.queries) {
      // Methods interleaved per query, so caches favour none of them.
      for (const method of methods) {
        const loaded = method === 'full text, language unknown' ? sets.simple : sets.english
        const { byId, candidates } = rangesFor(loaded, meeting.id)
        const t0 = performance.now()
        const { hits } = await search(method, loaded.get(meeting.id)!.collectionId, query)
        run.latencies[method].push(performance.now() - t0)
        const ranked = hits.map((h) => byId.get(h.chunkId)!)
        run.runs[method].push({ spans, ranked, candidates })
        run.moments[method].push(
          momentSample(
            spans,
            hits.map((h, i) => ({ ...ranked[i]!, startMs: h.startMs, momentStartMs: h.momentStartMs })),
            turns,
          ),
        )
        if (method === 'hybrid') {
          const hit = hits.findIndex(
            (_, i) => ranked[i] !== OTHER_MEETING && spans.some(([s, e]) => ranked[i]!.segmentStart <= e && s <= ranked[i]!.segmentEnd),
          )
          if (hit !== -1)
            run.probes.push({
              query,
              spans,
              range: ranked[hit]!,
              segments: meeting.segments,
              found: ranked.filter((r) => r !== OTHER_MEETING),
            })
        }
      }
      if (momentsOnly) continue
      // Every fusion on the same two rankings.
      const { byId, candidates } = rangesFor(sets.english, meeting.id)
      const lists = await rankedLists(sql, optionsFor('hybrid', embedder, sets.english.get(meeting.id)!.collectionId, query), CANDIDATES)
      for (const f of FUSION_METHODS) {
        const fused = fuse(f, lists.vector?.map((m) => m.chunkId) ?? [], lists.text?.matches.map((m) => m.chunkId) ?? []).slice(0, K)
        run.fusions[f].push({ spans, ranked: fused.map((x) => byId.get(x.chunkId)!), candidates })
      }
    }
  }
  return run
}
