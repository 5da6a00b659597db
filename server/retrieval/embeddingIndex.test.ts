import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { embeddingIndexName, ensureEmbeddingIndex, quoteLiteral, vectorIndexShape } from './embeddingIndex.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

const indexDef = async (name: string) =>
  (await db.sql<{ indexdef: string }[]>`select indexdef from pg_indexes where indexname = ${name}`)[0]?.indexdef

test('workers racing to index a new model create it exactly once', async () => {
  const results = await Promise.all([1, 2, 3, 4].map(() => ensureEmbeddingIndex(db.sql, 'race-model', 8)))
  expect(results.filter((r) => r!.created)).toHaveLength(1)
  expect(new Set(results.map((r) => r!.name))).toEqual(new Set([embeddingIndexName('race-model', 8)]))
  expect(await ensureEmbeddingIndex(db.sql, 'race-model', 8)).toEqual({ name: embeddingIndexName('race-model', 8), created: false })
})

test('the index is a cosine HNSW over the cast embedding, limited to the model’s rows', async () => {
  const { name } = (await ensureEmbeddingIndex(db.sql, 'local-hash-v1', 1024))!
  expect(await indexDef(name)).toBe(
    `CREATE INDEX ${name} ON public.chunk_embeddings USING hnsw (((embedding)::vector(1024)) vector_cosine_ops) WHERE (model = 'local-hash-v1'::text)`,
  )
})

test('a model name with quotes and backslashes is quoted, and a query spelling it the same way uses the index', async () => {
  const model = `o'brien\\"model"; drop table chunks; --`
  const { name } = (await ensureEmbeddingIndex(db.sql, model, 3))!
  const plan = await db.sql.begin(async (tx) => {
    // An empty table: without this the planner rightly prefers sorting nothing.
    await tx`set local enable_sort = off`
    return tx.unsafe(
      `explain select chunk_id from chunk_embeddings where model = ${quoteLiteral(model)} order by embedding::vector(3) <=> '[1,0,0]'::vector(3) limit 5`,
    )
  })
  expect(plan.map((r) => Object.values(r)[0]).join('\n')).toContain(`Index Scan using ${name}`)
  const [row] = await db.sql<{ same: boolean }[]>`select ${model} = ${db.sql.unsafe(quoteLiteral(model))} as same`
  expect(row!.same).toBe(true)
})

test('vectors over 2,000 dimensions are indexed as halfvec, over 4,000 not at all', async () => {
  const { name } = (await ensureEmbeddingIndex(db.sql, 'openai:text-embedding-3-large', 3072))!
  expect(await indexDef(name)).toContain('((embedding)::halfvec(3072)) halfvec_cosine_ops')
  expect(await ensureEmbeddingIndex(db.sql, 'huge', 4096)).toBeNull()
  expect(vectorIndexShape(2000)).toEqual({ type: 'vector(2000)', opclass: 'vector_cosine_ops' })
})

test('dimensions that are not a positive integer are refused before any SQL is built', async () => {
  for (const dims of [0, -1, 1.5, Number.NaN, 20_000]) expect(() => vectorIndexShape(dims)).toThrow(/integer/)
  await expect(ensureEmbeddingIndex(db.sql, 'x', '8); drop table chunks; --' as unknown as number)).rejects.toThrow(/integer/)
})

test('index names are short and differ per model and per size', () => {
  const name = embeddingIndexName('a'.repeat(500), 1024)
  expect(name.length).toBeLessThanOrEqual(63)
  expect(embeddingIndexName('m', 768)).not.toBe(embeddingIndexName('m', 1024))
})
