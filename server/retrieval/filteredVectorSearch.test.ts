// Vector search under a collection filter that keeps 1 % of an HNSW index:
// the scan budget, the exact fallback and the ef_search the product picks.
// (The rest of hybrid search is tested in hybridSearch.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import postgres from 'postgres'
import { makeUser } from '../../testing/factories.ts'
import { addEmbeddedVideo, textChunks } from '../../testing/searchCorpus.ts'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { insertCollection } from '../collections/sql.ts'
import { loadConfig } from '../platform/config.ts'
import type { Sql, TransactionSql } from '../platform/db.ts'
import { embeddingIndexName, ensureEmbeddingIndex } from './embeddingIndex.ts'
import { hybridSearch, type HybridSearchOptions } from './hybridSearch.ts'
import { efSearchFor, nearestChunks } from './vectorSearch.ts'
import * as q from './sql.ts'
import type { EmbeddingProvider } from './types.ts'

const config = loadConfig({
  NODE_ENV: 'test',
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  PUBLIC_URL: 'https://kt.example',
})

let db: TestDatabase
let ownerId: string

beforeAll(async () => {
  db = await createTestDatabase()
  ownerId = (await makeUser(db.sql, config, 'owner')).id
})
afterAll(() => db.drop())

const newCollection = (name: string) => insertCollection(db.sql, ownerId, name, '')

function options(collectionIds: string[], query: string, extra: Partial<HybridSearchOptions> = {}): HybridSearchOptions {
  return { collectionIds, query, k: 3, embedder: null, model: null, dimensions: null, publicUrl: config.PUBLIC_URL, ...extra }
}

describe('hybridSearch under a selective collection filter', () => {
  const DIMS = 32
  const MODEL = 'test-random-32'
  const TOTAL = 5000
  const SMALL = 50 // 1% of the rows
  let small: string
  let vectors: Map<number, number[]>
  let query: number[]
  let lowScanSql: Sql

  // Deterministic pseudo-random unit vectors, so the test never flakes.
  let seed = 42
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1
  const unit = () => {
    const v = Array.from({ length: DIMS }, random)
    const n = Math.hypot(...v)
    return v.map((x) => x / n)
  }

  beforeAll(async () => {
    const big = await newCollection('big')
    small = await newCollection('small')
    await ensureEmbeddingIndex(db.sql, MODEL, DIMS)
    vectors = new Map()
    for (const [collectionId, count] of [
      [big, TOTAL - SMALL],
      [small, SMALL],
    ] as const) {
      const chunks = textChunks(Array.from({ length: count }, (_, i) => `filler passage ${i}`))
      const embeddings = chunks.map(() => unit())
      let next = 0
      const embedder: EmbeddingProvider = { name: MODEL, dimensions: DIMS, embed: async (texts) => texts.map(() => embeddings[next++]!) }
      const { chunkIds } = await addEmbeddedVideo(db.sql, { collectionId, addedBy: ownerId }, chunks, embedder)
      if (collectionId === small) chunkIds.forEach((id, i) => vectors.set(id, embeddings[i]!))
    }
    query = unit()
    // Force the index path and make it give up early: the planner would
    // otherwise (rightly) sort the small collection's rows exactly.
    lowScanSql = postgres(db.url, {
      max: 2,
      transform: postgres.camel,
      onnotice: () => {},
      connection: { 'hnsw.max_scan_tuples': '60', enable_sort: 'off' },
    }) as unknown as Sql
    // 5,000 rows into an HNSW index: seconds on an idle box, over a minute on a loaded one.
  }, 300_000)
  afterAll(() => lowScanSql?.end())

  const embedder: EmbeddingProvider = { name: MODEL, dimensions: DIMS, embed: async () => [query] }

  test('the HNSW scan alone comes up short of k under the forced-low scan budget', async () => {
    const found = await lowScanSql.begin((tx) =>
      q.searchNearestChunks(tx, {
        model: MODEL,
        shape: { type: `vector(${DIMS})`, opclass: 'vector_cosine_ops' },
        vector: q.vectorLiteral(query),
        collectionIds: [small],
        limit: 50,
      }),
    )
    expect(found.length).toBeLessThan(10)
  })

  // Both ways to the vectors: the small collection compared exhaustively (the
  // default), and the index first (no exact budget), coming up short, then exact.
  for (const [label, exactScanBudget] of [
    ['compared in full, being small', undefined],
    ['through the index, then in full when it comes up short', 0],
  ] as const) {
    test(`search still returns k hits, the exact nearest ones: ${label}`, async () => {
      const k = 10
      const { hits, methods } = await hybridSearch(
        lowScanSql,
        options([small], 'zebra', { k, embedder, model: MODEL, dimensions: DIMS, exactScanBudget }),
      )
      expect(methods.vector).toBe(true)
      const cosine = (v: number[]) => 1 - v.reduce((s, x, i) => s + x * query[i]!, 0)
      const exact = [...vectors.entries()]
        .sort((a, b) => cosine(a[1]) - cosine(b[1]))
        .slice(0, k)
        .map(([id]) => id)
      expect(hits.map((h) => h.chunkId)).toEqual(exact)
      expect(hits.map((h) => h.vectorRank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    })
  }

  /** Which searches `run` sent: 'index' (the HNSW query) and/or 'exact', in order, read from the client's own query log. */
  async function pathsTaken(run: (tx: TransactionSql) => Promise<unknown>): Promise<string[]> {
    const sent: string[] = []
    const traced = postgres(db.url, {
      max: 1,
      transform: postgres.camel,
      onnotice: () => {},
      debug: (_connection, query) => sent.push(query),
    }) as unknown as Sql
    try {
      await traced.begin((tx) => run(tx))
    } finally {
      await traced.end()
    }
    return sent.flatMap((query) => (query.includes('with nearest as') ? ['index'] : query.includes('with scoped as') ? ['exact'] : []))
  }

  test('a collection within its exact budget is compared in full; over it, searched through the index', async () => {
    const p = {
      model: MODEL,
      vector: q.vectorLiteral(query),
      collectionIds: [small],
      limit: 5,
      shape: { type: `vector(${DIMS})`, opclass: 'vector_cosine_ops' },
    }
    const exact = await q.searchNearestChunksExact(db.sql, p)
    let found: q.VectorMatch[] = []
    // 50 vectors, budget 50: compared in full.
    expect(await pathsTaken(async (tx) => (found = await nearestChunks(tx, { ...p, exactRows: 50 })))).toEqual(['exact'])
    expect(found).toEqual(exact)
    // 50 vectors, budget 10: the index, which (default scan limits) finds all five.
    expect(await pathsTaken(async (tx) => (found = await nearestChunks(tx, { ...p, exactRows: 10 })))).toEqual(['index'])
    expect(found.map((f) => f.chunkId)).toEqual(exact.map((f) => f.chunkId))
    // No index for the model's shape: compared in full whatever the size.
    expect(await pathsTaken(async (tx) => (found = await nearestChunks(tx, { ...p, shape: null, exactRows: 0 })))).toEqual(['exact'])
  })

  test('the graph walk keeps the candidate list efSearchFor gives for the index size Postgres knows', async () => {
    await db.sql`analyze chunk_embeddings`
    const rows = await q.estimateIndexRows(db.sql, embeddingIndexName(MODEL, DIMS))
    expect(rows).toBe(TOTAL)
    expect(await q.estimateIndexRows(db.sql, 'no_such_index')).toBe(0)
    const p = {
      model: MODEL,
      vector: q.vectorLiteral(query),
      collectionIds: [small],
      limit: 45,
      shape: { type: `vector(${DIMS})`, opclass: 'vector_cosine_ops' },
      exactRows: 10,
    }
    const used = await db.sql.begin(async (tx) => {
      await nearestChunks(tx, p)
      const [row] = await tx<{ ef: string }[]>`select current_setting('hnsw.ef_search') as ef`
      return Number(row!.ef)
    })
    expect(used).toBe(efSearchFor(TOTAL, 45))
  })
})

describe('hnsw.ef_search by index size', () => {
  test('stays at the candidate count up to 100k vectors, then grows with the square root of the index, up to 1,000', () => {
    expect(efSearchFor(0, 50)).toBe(50)
    expect(efSearchFor(100_000, 50)).toBe(50)
    expect(efSearchFor(400_000, 50)).toBe(100)
    expect(efSearchFor(1_000_000, 50)).toBe(159)
    expect(efSearchFor(1e9, 50)).toBe(1000)
    // Never below pgvector's default of 40.
    expect(efSearchFor(0, 10)).toBe(40)
  })
})
