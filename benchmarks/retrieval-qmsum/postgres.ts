// QMSum through the product's own retrieval: segments, chunks and embeddings
// written by the product's SQL into a fresh Postgres, searched by hybridSearch
// with one method switched off at a time, in two scopes:
//   - meeting: one collection per meeting, every query filtered to its own
//     meeting (a question about one video; ~40 chunks, so chance is high);
//   - corpus: all 35 meetings as videos of one collection, every query searched
//     across all of them (a question to a collection of many videos).
// Queries are those of one half of the meetings (--split, default "report"):
// constants are chosen on the "choose" half and reported on the other (split.ts).
// Besides recall and MRR it measures moment error (momentError.ts), compares
// the fusion methods on the same two rankings (fusion.ts), and full text with
// the language unknown (`simple`, no stemming).
//
//   bun run benchmarks/retrieval-qmsum/postgres.ts [--scope meeting|corpus] [--split choose|report|all]
//        [--sweep-moments] [--moments-only] [--max-duration-ms N] [--rerank-url URL]
//
// --rerank-url (or RERANK_BASE_URL; RERANK_API, RERANK_MODEL, RERANK_API_KEY,
// RERANK_CANDIDATES and RERANK_TIMEOUT_MS as for the server) adds the row
// `hybrid, reranked`: the product's reranker on the hybrid candidates.
//
// --moments-only: hybrid search only, then the moment options compared on its
// first relevant passages (the ranking does not depend on them): a few minutes
// instead of half an hour, for deciding moment selection (quality/momentWeight.ts).
//
// The embedder is the configured one (EMBEDDING_PROVIDER and EMBEDDING_*, as
// for the server): the local hashing embedder by default, or any
// OpenAI-compatible endpoint (e.g. Ollama with bge-m3) to measure a semantic model.
// Database: a fresh test database on the project-local cluster (TEST_DATABASE_URL,
// or the URL `bash scripts/pg-local.sh start` wrote), else DATABASE_URL.
import { metrics } from '@opentelemetry/api'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createTestDatabase } from '../../testing/testDatabase.ts'
import { insertCollection } from '../../server/collections/sql.ts'
import { loadConfig } from '../../server/platform/config.ts'
import { createLogger } from '../../server/platform/logger.ts'
import { createSql, type Sql } from '../../server/platform/db.ts'
import { runMigrations } from '../../server/platform/migrations.ts'
import { chunkSegments, DEFAULT_CHUNK_OPTIONS } from '../../server/retrieval/chunkSegments.ts'
import { ensureEmbeddingIndex } from '../../server/retrieval/embeddingIndex.ts'
import { configuredEmbedder } from '../../server/retrieval/embeddingProviders.ts'
import { fuse, FUSION_METHODS, fusionFor, type FusionMethod } from '../../server/retrieval/fusion.ts'
import { hybridSearch, rankedLists, type HybridSearchOptions } from '../../server/retrieval/hybridSearch.ts'
import { createReranker, type Reranker } from '../../server/retrieval/reranker.ts'
import { localEmbedder } from '../../server/retrieval/localEmbedder.ts'
import { insertChunkEmbeddings, insertChunks, isZeroVector } from '../../server/retrieval/sql.ts'
import type { EmbeddingProvider } from '../../server/retrieval/types.ts'
import { insertVideo, replaceSegments } from '../../server/videos/sql.ts'
import { describeMachine, machineLine } from '../machine.ts'
import { OTHER_MEETING, type ChunkRange, type QueryRun } from './evaluate.ts'
import { momentSample } from './momentError.ts'
import { MOMENT_CHOICES, momentErrorSources, stretchSweep, sweepMoments, type MomentProbe } from './momentSweep.ts'
import { loadQmsum, type QmsumMeeting } from './qmsum.ts'
import { splitMeetings, SPLITS, type Split } from './split.ts'
import { fusionTable, methodTable, METHODS, type Method, type MethodRuns } from './tables.ts'

const K = 10
const CANDIDATES = 50
const SCOPES = ['meeting', 'corpus'] as const
type Scope = (typeof SCOPES)[number]

/** A meeting's chunks as stored: ids in chunk order, each with its turn range. */
type Loaded = { collectionId: string; ids: number[]; ranges: ChunkRange[] }

export async function openDatabase(): Promise<{ sql: Sql; cleanup: () => Promise<void> }> {
  const local = process.env.TEST_DATABASE_URL || existsSync(join(import.meta.dir, '../../.data/pg/url'))
  if (local || !process.env.DATABASE_URL) {
    const db = await createTestDatabase()
    return { sql: db.sql, cleanup: () => db.drop() }
  }
  const sql = createSql(process.env.DATABASE_URL, { max: 4 })
  await runMigrations(sql)
  return { sql, cleanup: () => sql.end() }
}

export async function load(
  sql: Sql,
  p: {
    embedder: EmbeddingProvider | null
    userId: string
    collectionId: string
    meeting: QmsumMeeting
    language: string | null
    maxDurationMs: number
  },
): Promise<Loaded> {
  const { embedder, collectionId, meeting } = p
  const video = await insertVideo(sql, {
    collectionId,
    addedBy: p.userId,
    sourceType: 'transcript',
    title: meeting.id,
    language: p.language,
  })
  const chunks = chunkSegments(meeting.segments, { maxDurationMs: p.maxDurationMs })
  const vectors = embedder ? await embedder.embed(chunks.map((c) => c.text)) : []
  const ids = await sql.begin(async (tx) => {
    await replaceSegments(tx, video.id, meeting.segments)
    const ids = await insertChunks(tx, video.id, collectionId, p.language ? 'english' : 'simple', chunks)
    if (embedder) {
      const rows = ids.flatMap((chunkId, i) =>
        isZeroVector(vectors[i]!) ? [] : [{ chunkId, model: embedder.name, collectionId, embedding: vectors[i]! }],
      )
      await insertChunkEmbeddings(tx, rows)
      await tx`update collections set embedding_model = ${embedder.name} where id = ${collectionId}`
    }
    return ids
  })
  return { collectionId, ids, ranges: chunks }
}

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
async function runScope(
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
  const sets = { english: new Map<string, Loaded>(), simple: new Map<string, Loaded>() }
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
        await load(sql, { embedder: withVectors ? embedder : null, userId, collectionId, meeting: m, language, maxDurationMs }),
      )
    }
  }
  await sql`analyze`

  // What a hit is, per query: its own meeting's turn range, or OTHER_MEETING.
  const rangesFor = (loaded: Map<string, Loaded>, meetingId: string) => {
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

const SCOPE_TEXT: Record<Scope, string> = {
  meeting: 'each query searched in its own meeting only (one collection per meeting): a question about one video',
  corpus: 'each query searched across all 35 meetings (one collection of 35 videos): a question to a collection of many videos',
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string' },
      split: { type: 'string', default: 'report' },
      'sweep-moments': { type: 'boolean' },
      'moments-only': { type: 'boolean' },
      'max-duration-ms': { type: 'string' },
      'rerank-url': { type: 'string' },
    },
  })
  const scopes = values.scope ? [values.scope as Scope] : [...SCOPES]
  if (!scopes.every((s) => (SCOPES as readonly string[]).includes(s))) throw new Error(`--scope must be one of ${SCOPES.join(', ')}`)
  const split = values.split as Split
  if (!(SPLITS as readonly string[]).includes(split)) throw new Error(`--split must be one of ${SPLITS.join(', ')}`)
  const maxDurationMs = values['max-duration-ms'] ? Number(values['max-duration-ms']) : DEFAULT_CHUNK_OPTIONS.maxDurationMs
  const config = loadConfig({ ...process.env, RERANK_BASE_URL: values['rerank-url'] ?? process.env.RERANK_BASE_URL })
  const embedder = configuredEmbedder(config)
  // Fallbacks (a late or failing reranker keeps the fused order) are counted from its warnings and printed.
  let fallbacks = 0
  const reranker = createReranker(config, {
    meter: metrics.getMeter('qmsum'),
    logger: createLogger('warn', {}, (line) => {
      fallbacks++
      if (fallbacks <= 3) console.error(line)
    }),
  })
  const meetings = loadQmsum()
  const asked = splitMeetings(meetings, split)
  const { sql, cleanup } = await openDatabase()
  try {
    console.log(`machine: ${machineLine(await describeMachine(sql))}`)
    const [user] = await sql<
      { id: string }[]
    >`insert into users (email) values (${`qmsum-${crypto.randomUUID()}@bench.invalid`}) returning id`
    try {
      // Before the first vector, so inserts fill the index as the embed job's do.
      await ensureEmbeddingIndex(sql, embedder.name, embedder.dimensions)
      const queryCount = asked.reduce((n, m) => n + m.queries.length, 0)
      const label = embedder.name === localEmbedder.name ? 'local embedding' : embedder.name
      console.log(
        `QMSum test, **${split} half** (${asked.length} of ${meetings.length} meetings, ${queryCount} specific queries; split.ts); k = ${K}, ${CANDIDATES} candidates per method, ` +
          `hybrid fusion \`${fusionFor(embedder.lexical === true)}\`, embedder ${embedder.name} (${embedder.dimensions} dims), full text 'english' (and 'simple' for the language-unknown row), passages of at most ${maxDurationMs / 1000} s`,
      )
      for (const scope of scopes) {
        const started = performance.now()
        const momentsOnly = values['moments-only'] === true
        const run = await runScope(sql, embedder, user!.id, scope, meetings, asked, maxDurationMs, momentsOnly, reranker)
        console.log(
          `\n**Scope ${scope}**: ${SCOPE_TEXT[scope]}. ${run.chunks} chunks; loaded and searched in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
        )
        if (momentsOnly) {
          console.log(`Moment selection options (${scope}, first relevant hybrid passage):\n\n${sweepMoments(run.probes, MOMENT_CHOICES)}`)
          console.log(`\nWhere the moment error comes from (${scope}):\n\n${momentErrorSources(run.probes)}`)
          console.log(`\nStretch length and lead-in (${scope}):\n\n${stretchSweep(run.probes)}`)
          continue
        }
        console.log(methodTable(run, label))
        if (reranker)
          console.log(
            `\nReranker: ${config.RERANK_API} at ${new URL(config.RERANK_BASE_URL!).host}${config.RERANK_MODEL ? `, model ${config.RERANK_MODEL}` : ''}, top ${reranker.candidates} candidates; it failed (fused order kept) on ${fallbacks} of ${run.runs['hybrid, reranked'].length} queries.`,
          )
        fallbacks = 0
        console.log(`\nFusion methods on the same two rankings (${scope}); margin = hybrid − max(full text, vector):\n`)
        console.log(fusionTable(run.fusions, run.runs))
        if (values['sweep-moments'])
          console.log(`\nMoment selection options (${scope}, first relevant hybrid passage):\n\n${sweepMoments(run.probes)}`)
      }
    } finally {
      await sql`delete from users where id = ${user!.id}`
    }
  } finally {
    await cleanup()
  }
}
