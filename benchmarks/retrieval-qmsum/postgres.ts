// QMSum through the product's own retrieval: chunks and embeddings written by
// server/retrieval/sql.ts into a fresh Postgres, searched by hybridSearch with
// one method switched off at a time, in two scopes:
//   - meeting: one collection per meeting, every query filtered to its own
//     meeting (a question about one video; ~31 chunks, so chance is high);
//   - corpus: all 35 meetings as videos of one collection, every query searched
//     across all of them (a question to a collection of many videos).
//
//   bun run benchmarks/retrieval-qmsum/postgres.ts [--scope meeting|corpus]
//
// The embedder is the configured one (EMBEDDING_PROVIDER and EMBEDDING_*, as
// for the server): the local hashing embedder by default, or any
// OpenAI-compatible endpoint (e.g. Ollama with bge-m3) to measure a semantic model.
//
// Database: a fresh test database on the project-local cluster
// (TEST_DATABASE_URL, or the URL `bash scripts/pg-local.sh start` wrote), else
// DATABASE_URL (migrated, and the benchmark's rows deleted afterwards).

import { existsSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createTestDatabase } from '../../testing/testDatabase.ts'
import { insertCollection } from '../../server/collections/sql.ts'
import { loadConfig } from '../../server/platform/config.ts'
import { createSql, type Sql } from '../../server/platform/db.ts'
import { runMigrations } from '../../server/platform/migrations.ts'
import { chunkSegments } from '../../server/retrieval/chunkSegments.ts'
import { ensureEmbeddingIndex } from '../../server/retrieval/embeddingIndex.ts'
import { configuredEmbedder } from '../../server/retrieval/embeddingProviders.ts'
import { hybridSearch, RRF_K, type HybridSearchOptions } from '../../server/retrieval/hybridSearch.ts'
import { localEmbedder } from '../../server/retrieval/localEmbedder.ts'
import { insertChunkEmbeddings, insertChunks, isZeroVector, tsConfigForLanguage } from '../../server/retrieval/sql.ts'
import type { EmbeddingProvider } from '../../server/retrieval/types.ts'
import { insertVideo } from '../../server/videos/sql.ts'
import { chanceMetrics, evaluateRuns, OTHER_MEETING, type ChunkRange, type QueryRun, type RetrievalMetrics } from './evaluate.ts'
import { loadQmsum, type QmsumMeeting } from './qmsum.ts'

const K = 10
const METHODS = ['full text', 'vector', 'hybrid'] as const
type Method = (typeof METHODS)[number]
const SCOPES = ['meeting', 'corpus'] as const
type Scope = (typeof SCOPES)[number]

/** A meeting's chunks as stored: ids in chunk order, each with its turn range. */
type Loaded = { collectionId: string; ids: number[]; ranges: ChunkRange[] }

async function openDatabase(): Promise<{ sql: Sql; cleanup: () => Promise<void> }> {
  const local = process.env.TEST_DATABASE_URL || existsSync(join(import.meta.dir, '../../.data/pg/url'))
  if (local || !process.env.DATABASE_URL) {
    const db = await createTestDatabase()
    return { sql: db.sql, cleanup: () => db.drop() }
  }
  const sql = createSql(process.env.DATABASE_URL, { max: 4 })
  await runMigrations(sql)
  return { sql, cleanup: () => sql.end() }
}

async function load(sql: Sql, embedder: EmbeddingProvider, userId: string, collectionId: string, meeting: QmsumMeeting): Promise<Loaded> {
  const video = await insertVideo(sql, { collectionId, addedBy: userId, sourceType: 'transcript', title: meeting.id, language: 'en' })
  const chunks = chunkSegments(meeting.segments)
  const vectors = await embedder.embed(chunks.map((c) => c.text))
  const ids = await sql.begin(async (tx) => {
    const ids = await insertChunks(tx, video.id, collectionId, tsConfigForLanguage('en'), chunks)
    const rows = ids.flatMap((chunkId, i) => (isZeroVector(vectors[i]!) ? [] : [{ chunkId, model: embedder.name, collectionId, embedding: vectors[i]! }]))
    await insertChunkEmbeddings(tx, rows)
    await tx`update collections set embedding_model = ${embedder.name} where id = ${collectionId}`
    return ids
  })
  return { collectionId, ids, ranges: chunks }
}

function optionsFor(method: Method, embedder: EmbeddingProvider, collectionId: string, query: string): HybridSearchOptions {
  const vector = method !== 'full text'
  return {
    collectionIds: [collectionId],
    query,
    k: K,
    embedder: vector ? embedder : null,
    model: vector ? embedder.name : null,
    dimensions: vector ? embedder.dimensions : null,
    publicUrl: 'http://localhost',
    fullText: method !== 'vector',
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

async function machine(sql: Sql): Promise<string> {
  const [row] = await sql<{ server: string; vector: string }[]>`
    select current_setting('server_version') as server, (select extversion from pg_extension where extname = 'vector') as vector`
  const cpu = cpus()
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown cpu'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Bun ${Bun.version}, PostgreSQL ${row!.server}, pgvector ${row!.vector}, ${process.platform}-${process.arch}`
}

/** Loads the meetings for one scope and runs every query by every method, interleaved. */
async function runScope(sql: Sql, embedder: EmbeddingProvider, userId: string, scope: Scope, meetings: readonly QmsumMeeting[]) {
  const shared = scope === 'corpus' ? await insertCollection(sql, userId, 'QMSum test', '') : null
  const loaded = new Map<string, Loaded>()
  for (const m of meetings) loaded.set(m.id, await load(sql, embedder, userId, shared ?? (await insertCollection(sql, userId, `QMSum ${m.id}`, '')), m))
  await sql`analyze chunks`
  await sql`analyze chunk_embeddings`

  // What a hit is, per query: its own meeting's turn range, or OTHER_MEETING.
  const rangesFor = (meetingId: string): { byId: Map<number, ChunkRange>; candidates: ChunkRange[] } => {
    const byId = new Map<number, ChunkRange>()
    for (const [id, l] of loaded) {
      if (scope === 'meeting' && id !== meetingId) continue
      l.ids.forEach((chunkId, i) => byId.set(chunkId, id === meetingId ? l.ranges[i]! : OTHER_MEETING))
    }
    return { byId, candidates: [...byId.values()] }
  }

  // Warm the caches and connections so the first measured queries are not outliers.
  const first = meetings[0]!
  for (const method of METHODS) for (const { query } of first.queries) await hybridSearch(sql, optionsFor(method, embedder, loaded.get(first.id)!.collectionId, query))

  const runs: Record<Method, QueryRun[]> = { 'full text': [], vector: [], hybrid: [] }
  const latencies: Record<Method, number[]> = { 'full text': [], vector: [], hybrid: [] }
  for (const meeting of meetings) {
    const { collectionId } = loaded.get(meeting.id)!
    const { byId, candidates } = rangesFor(meeting.id)
    for (const { query, spans } of meeting.queries) {
      // Methods interleaved per query, so caches favour none of them.
      for (const method of METHODS) {
        const t0 = performance.now()
        const { hits } = await hybridSearch(sql, optionsFor(method, embedder, collectionId, query))
        latencies[method].push(performance.now() - t0)
        runs[method].push({ spans, ranked: hits.map((h) => byId.get(h.chunkId)!), candidates })
      }
    }
  }
  return { runs, latencies, chunks: [...loaded.values()].reduce((n, l) => n + l.ids.length, 0) }
}

function table(runs: Record<Method, QueryRun[]>, latencies: Record<Method, number[]>, embedderLabel: string): string {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(6)
  const row = (label: string, m: RetrievalMetrics, lat?: number[]) => {
    const sorted = lat ? [...lat].sort((a, b) => a - b) : null
    const ms = (x: number | undefined) => (x === undefined ? '     –' : x.toFixed(1).padStart(6))
    return `| ${label.padEnd(32)} | ${pct(m.recallAt5)} | ${pct(m.recallAt10)} | ${m.mrrAt10.toFixed(3)} | ${pct(m.coverageAt10)} | ${ms(sorted ? percentile(sorted, 0.5) : undefined)} | ${ms(sorted ? percentile(sorted, 0.95) : undefined)} |`
  }
  return [
    `| ${'method'.padEnd(32)} | R@5 %  | R@10 % | MRR@10 | cov@10 | p50 ms | p95 ms |`,
    `|${'-'.repeat(34)}|--------|--------|--------|--------|--------|--------|`,
    row('random order (exact expectation)', chanceMetrics(runs.hybrid)),
    row('Postgres full text (ts_rank_cd)', evaluateRuns(runs['full text']), latencies['full text']),
    row(`pgvector, ${embedderLabel}`.slice(0, 32), evaluateRuns(runs.vector), latencies.vector),
    row('hybrid: RRF of both', evaluateRuns(runs.hybrid), latencies.hybrid),
  ].join('\n')
}

const SCOPE_TEXT: Record<Scope, string> = {
  meeting: 'each query searched in its own meeting only (35 collections of one video each, ~31 chunks per meeting): a question about one video',
  corpus: 'each query searched across all 35 meetings (one collection of 35 videos, 1,070 chunks): a question to a collection of many videos',
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { scope: { type: 'string' } } })
  const scopes = values.scope ? [values.scope as Scope] : [...SCOPES]
  if (!scopes.every((s) => (SCOPES as readonly string[]).includes(s))) throw new Error(`--scope must be one of ${SCOPES.join(', ')}`)
  const embedder = configuredEmbedder(loadConfig())
  const meetings = loadQmsum()
  const { sql, cleanup } = await openDatabase()
  try {
    console.log(`machine: ${await machine(sql)}`)
    const [user] = await sql<{ id: string }[]>`insert into users (email) values (${`qmsum-${crypto.randomUUID()}@bench.invalid`}) returning id`
    try {
      // Before the first vector, so inserts fill the index as the embed job's do.
      await ensureEmbeddingIndex(sql, embedder.name, embedder.dimensions)
      const queryCount = meetings.reduce((n, m) => n + m.queries.length, 0)
      const label = embedder.name === localEmbedder.name ? 'local embedding' : embedder.name
      console.log(`QMSum test: ${meetings.length} meetings, ${queryCount} specific queries; k = ${K}, candidates per method max(50, 4k) = 50, RRF k = ${RRF_K}, embedder ${embedder.name} (${embedder.dimensions} dims; cosine, compared in full or through HNSW as search does), full text 'english'`)
      for (const scope of scopes) {
        const started = performance.now()
        const { runs, latencies, chunks } = await runScope(sql, embedder, user!.id, scope, meetings)
        console.log(`\n**Scope ${scope}**: ${SCOPE_TEXT[scope]}. ${chunks} chunks; loaded and searched in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`)
        console.log(table(runs, latencies, label))
      }
    } finally {
      await sql`delete from users where id = ${user!.id}`
    }
  } finally {
    await cleanup()
  }
}
