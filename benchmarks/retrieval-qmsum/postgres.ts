// QMSum through the product's own retrieval: chunks and local embeddings
// written by server/retrieval/sql.ts into a fresh Postgres, searched by
// hybridSearch with one method switched off at a time. One collection per
// meeting, so every query is filtered to its meeting as a collection would be.
//
//   bun run benchmarks/retrieval-qmsum/postgres.ts
//
// Database: a fresh test database on the project-local cluster
// (TEST_DATABASE_URL, or the URL `bash scripts/pg-local.sh start` wrote), else
// DATABASE_URL (migrated, and the benchmark's rows deleted afterwards).

import { existsSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase } from '../../testing/testDatabase.ts'
import { insertCollection } from '../../server/collections/sql.ts'
import { createSql, type Sql } from '../../server/platform/db.ts'
import { runMigrations } from '../../server/platform/migrations.ts'
import { chunkSegments } from '../../server/retrieval/chunkSegments.ts'
import { ensureEmbeddingIndex } from '../../server/retrieval/embeddingIndex.ts'
import { hybridSearch, RRF_K, type HybridSearchOptions } from '../../server/retrieval/hybridSearch.ts'
import { localEmbedder } from '../../server/retrieval/localEmbedder.ts'
import { insertChunkEmbeddings, insertChunks, isZeroVector, tsConfigForLanguage } from '../../server/retrieval/sql.ts'
import type { Chunk } from '../../server/retrieval/types.ts'
import { insertVideo } from '../../server/videos/sql.ts'
import { chanceMetrics, evaluateRuns, type QueryRun, type RetrievalMetrics } from './evaluate.ts'
import { loadQmsum, type QmsumMeeting } from './qmsum.ts'

const K = 10
const METHODS = ['full text', 'vector', 'hybrid'] as const
type Method = (typeof METHODS)[number]

type Loaded = { collectionId: string; chunks: Chunk[]; rangeById: Map<number, Chunk> }

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

async function load(sql: Sql, userId: string, meeting: QmsumMeeting): Promise<Loaded> {
  const collectionId = await insertCollection(sql, userId, `QMSum ${meeting.id}`, '')
  const video = await insertVideo(sql, { collectionId, addedBy: userId, sourceType: 'transcript', title: meeting.id, language: 'en' })
  const chunks = chunkSegments(meeting.segments)
  const vectors = await localEmbedder.embed(chunks.map((c) => c.text))
  const ids = await sql.begin(async (tx) => {
    const ids = await insertChunks(tx, video.id, collectionId, tsConfigForLanguage('en'), chunks)
    const rows = ids.flatMap((chunkId, i) => (isZeroVector(vectors[i]!) ? [] : [{ chunkId, model: localEmbedder.name, collectionId, embedding: vectors[i]! }]))
    await insertChunkEmbeddings(tx, rows)
    await tx`update collections set embedding_model = ${localEmbedder.name} where id = ${collectionId}`
    return ids
  })
  return { collectionId, chunks, rangeById: new Map(ids.map((id, i) => [id, chunks[i]!])) }
}

function optionsFor(method: Method, collectionId: string, query: string): HybridSearchOptions {
  const vector = method !== 'full text'
  return {
    collectionIds: [collectionId],
    query,
    k: K,
    embedder: vector ? localEmbedder : null,
    model: vector ? localEmbedder.name : null,
    dimensions: vector ? localEmbedder.dimensions : null,
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

if (import.meta.main) {
  const meetings = loadQmsum()
  const { sql, cleanup } = await openDatabase()
  try {
    console.log(`machine: ${await machine(sql)}`)
    const [user] = await sql<{ id: string }[]>`insert into users (email) values (${`qmsum-${crypto.randomUUID()}@bench.invalid`}) returning id`
    try {
      const started = performance.now()
      // Before the first vector, so inserts fill the index as the embed job's do.
      await ensureEmbeddingIndex(sql, localEmbedder.name, localEmbedder.dimensions)
      const loaded = new Map<string, Loaded>()
      for (const m of meetings) loaded.set(m.id, await load(sql, user!.id, m))
      await sql`analyze chunks`
      await sql`analyze chunk_embeddings`
      const chunkCount = [...loaded.values()].reduce((n, l) => n + l.chunks.length, 0)
      const queryCount = meetings.reduce((n, m) => n + m.queries.length, 0)
      console.log(`QMSum test: ${meetings.length} meetings (one collection each), ${queryCount} specific queries, ${chunkCount} chunks, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)

      // Warm the caches and connections so the first measured queries are not outliers.
      const first = meetings[0]!
      for (const method of METHODS) for (const { query } of first.queries) await hybridSearch(sql, optionsFor(method, loaded.get(first.id)!.collectionId, query))

      const runs: Record<Method, QueryRun[]> = { 'full text': [], vector: [], hybrid: [] }
      const latencies: Record<Method, number[]> = { 'full text': [], vector: [], hybrid: [] }
      for (const meeting of meetings) {
        const { collectionId, chunks, rangeById } = loaded.get(meeting.id)!
        for (const { query, spans } of meeting.queries) {
          // Methods interleaved per query, so caches favour none of them.
          for (const method of METHODS) {
            const t0 = performance.now()
            const { hits } = await hybridSearch(sql, optionsFor(method, collectionId, query))
            latencies[method].push(performance.now() - t0)
            runs[method].push({ spans, ranked: hits.map((h) => rangeById.get(h.chunkId)!), candidates: chunks })
          }
        }
      }

      const pct = (x: number) => (x * 100).toFixed(1).padStart(6)
      const row = (label: string, m: RetrievalMetrics, lat?: number[]) => {
        const sorted = lat ? [...lat].sort((a, b) => a - b) : null
        const ms = (x: number | undefined) => (x === undefined ? '     –' : x.toFixed(1).padStart(6))
        return `| ${label.padEnd(32)} | ${pct(m.recallAt5)} | ${pct(m.recallAt10)} | ${m.mrrAt10.toFixed(3)} | ${pct(m.coverageAt10)} | ${ms(sorted ? percentile(sorted, 0.5) : undefined)} | ${ms(sorted ? percentile(sorted, 0.95) : undefined)} |`
      }
      console.log(`\nk = ${K}, candidates per method max(50, 4k) = 50, RRF k = ${RRF_K}, embedder ${localEmbedder.name} (${localEmbedder.dimensions} dims, HNSW), full text 'english'\n`)
      console.log(`| ${'method'.padEnd(32)} | R@5 %  | R@10 % | MRR@10 | cov@10 | p50 ms | p95 ms |`)
      console.log(`|${'-'.repeat(34)}|--------|--------|--------|--------|--------|--------|`)
      console.log(row('random order (exact expectation)', chanceMetrics(runs.hybrid)))
      console.log(row('Postgres full text (ts_rank_cd)', evaluateRuns(runs['full text']), latencies['full text']))
      console.log(row('pgvector HNSW, local embedding', evaluateRuns(runs.vector), latencies.vector))
      console.log(row('hybrid: RRF of both', evaluateRuns(runs.hybrid), latencies.hybrid))
    } finally {
      await sql`delete from users where id = ${user!.id}`
    }
  } finally {
    await cleanup()
  }
}
