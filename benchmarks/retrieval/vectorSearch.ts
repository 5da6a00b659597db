// Retrieval at scale through the product's own queries (server/retrieval/sql.ts
// and hybridSearch): a synthetic corpus of --rows chunks (default 100,000) in
// ten collections, vectors at the local embedder's 1,024 dimensions and at 384.
// Measured: HNSW index build time and size for `vector` and `halfvec`, exact
// scan vs HNSW (recall@10 against exact, p50/p95) under collection filters
// matching 100 %, 10 % and 1 % of rows, and hybrid (vector + full text) latency.
//
//   bun run benchmarks/retrieval/vectorSearch.ts [--rows=100000] [--queries=50] [--hybrid-queries=20] [--dims=1024,384] [--ef=40,100,200,400] [--no-halfvec] [--no-results]
//
// --ef sweeps hnsw.ef_search on the first half of the queries; the product
// query (ef_search from efSearchFor) is then measured on the other half too,
// so its recall is not read off the queries the sweep looked at.
//
// Vectors are clustered random unit vectors, not embeddings of the texts (the
// local embedder would take minutes per 100k chunks and its vectors would add
// nothing to a latency or recall-vs-exact figure). Texts are real transcript
// words, so full-text matching and ranking costs are realistic; hybrid latency
// pairs a text question with a random vector. Relevance is measured by QMSum.
import { insertCollection } from '../../server/collections/sql.ts'
import { createSql, type Sql } from '../../server/platform/db.ts'
import { embeddingIndexName, ensureEmbeddingIndex, quoteLiteral, vectorIndexShape, type VectorIndexShape } from '../../server/retrieval/embeddingIndex.ts'
import { EXACT_SCAN_BUDGET, efSearchFor, hybridSearch, nearestChunks } from '../../server/retrieval/hybridSearch.ts'
import { estimateIndexRows, planForActualParameters, searchNearestChunks, searchNearestChunksExact, type VectorMatch } from '../../server/retrieval/sql.ts'
import type { EmbeddingProvider } from '../../server/retrieval/types.ts'
import { insertVideo } from '../../server/videos/sql.ts'
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig } from '../processes.ts'
import { fmt, markdownTable, summarize } from '../stats.ts'
import { updateResults } from '../updateResults.ts'
import { binaryField, copyEscape, copyInto, uuidBytes } from './copyRows.ts'
import { chunkText, clusteredVectors, random, transcriptWords, vectorBinary, vectorText } from './syntheticCorpus.ts'

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const ROWS = Number(option('rows', '100000'))
const QUERIES = Number(option('queries', '50'))
// Full text over 100k chunks takes about a second per question: fewer questions there.
const HYBRID_QUERIES = Number(option('hybrid-queries', '20'))
const DIMS = option('dims', '1024,384').split(',').map(Number)
// hnsw.ef_search values to sweep (HNSW only, no exact fallback), on the first half of the queries.
const EF_SWEEP = option('ef', '').split(',').filter(Boolean).map(Number)
const HALFVEC = !process.argv.includes('--no-halfvec')
const CLUSTERS = Math.max(10, Math.round(ROWS / 100))
const WORDS_PER_CHUNK = 300
const K = 10
// hybridSearch's default candidate count for k = 10: max(50, 4k).
const CANDIDATES = 50
// Collection shares: c0 is 1 % of rows, c0+c1 10 %, all ten 100 %.
const SHARES = [0.01, 0.09, ...Array(8).fill(0.9 / 8)]
const FILTERS = [
  { label: '100 %', collections: 10 },
  { label: '10 %', collections: 2 },
  { label: '1 %', collections: 1 },
]

const seconds = (ms: number) => ms / 1000
const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now()
  const r = await f()
  return [r, performance.now() - t]
}

const started = performance.now()
const db = await createBenchDatabase()
await db.sql.unsafe(`alter database ${db.name} set maintenance_work_mem = '2GB'`)
const sql = createSql(db.url, { max: 4 })
// Searches run one at a time on one connection, so its statistics can be flushed on demand.
const one = createSql(db.url, { max: 1 })
try {
  const machine = await printMachine(sql)
  const [settings] = await sql<{ mwm: string; workers: string; sb: string }[]>`select current_setting('maintenance_work_mem') as mwm, current_setting('max_parallel_maintenance_workers') as workers, current_setting('shared_buffers') as sb`
  console.log(`${ROWS} chunks in 10 collections, ~${WORDS_PER_CHUNK} words each; ${CLUSTERS} vector clusters; dims ${DIMS.join(', ')}; ${QUERIES} queries per row; maintenance_work_mem ${settings!.mwm}, parallel maintenance workers ${settings!.workers}, shared_buffers ${settings!.sb}`)
  const user = await makeUser(sql, apiConfig(db.url), 'bench')
  const collections: { id: string; videoId: string; rows: number }[] = []
  let assigned = 0
  for (let i = 0; i < SHARES.length; i++) {
    const id = await insertCollection(sql, user.id, `Collection ${i}`, '')
    const video = await insertVideo(sql, { collectionId: id, addedBy: user.id, sourceType: 'transcript', title: `Video ${i}`, language: 'en' })
    const rows = i === SHARES.length - 1 ? ROWS - assigned : Math.round(ROWS * SHARES[i]!)
    assigned += rows
    collections.push({ id, videoId: video.id, rows })
  }

  // Chunks: real transcript words, COPY in text format; tsv is generated by Postgres.
  const words = transcriptWords()
  const rand = random(42)
  const [, chunkMs] = await time(() =>
    copyInto(sql, `copy chunks (video_id, collection_id, ordinal, text, start_ms, end_ms, segment_start, segment_end, ts_config) from stdin`, async (write) => {
      let lines: string[] = []
      for (const c of collections) {
        for (let o = 0; o < c.rows; o++) {
          lines.push(`${c.videoId}\t${c.id}\t${o}\t${copyEscape(chunkText(words, rand, WORDS_PER_CHUNK))}\t${o * 10_000}\t${o * 10_000 + 9_000}\t${o * 40}\t${o * 40 + 39}\tenglish\n`)
          if (lines.length === 2000) {
            await write(lines.join(''))
            lines = []
          }
        }
      }
      if (lines.length) await write(lines.join(''))
    }),
  )
  await sql`update collections set embedding_model = ${`bench-${DIMS[0]}`}`
  await sql`analyze chunks`
  const chunkRows = await sql<{ id: string; collectionId: string }[]>`select id, collection_id from chunks order by id`
  const [{ chunksMiB } = { chunksMiB: 0 }] = await sql<{ chunksMiB: number }[]>`select (pg_table_size('chunks') / 1048576.0)::float8 as chunks_mi_b`
  console.log(`chunks loaded in ${fmt(seconds(chunkMs))} s (COPY + tsvector + GIN maintenance), table ${fmt(chunksMiB, 0)} MiB`)

  const indexRows: (string | number)[][] = []
  const searchRows: (string | number)[][] = []
  const hybridRows: (string | number)[][] = []
  const sweepRows: (string | number)[][] = []

  for (const dims of DIMS) {
    const model = `bench-${dims}`
    const space = clusteredVectors(dims, CLUSTERS, dims)
    const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)])
    const modelField = binaryField(Buffer.from(model))
    const [, loadMs] = await time(() =>
      copyInto(sql, `copy chunk_embeddings (chunk_id, model, collection_id, embedding) from stdin with (format binary)`, async (write) => {
        await write(header)
        let parts: Buffer[] = []
        for (const r of chunkRows) {
          const count = Buffer.allocUnsafe(2)
          count.writeInt16BE(4)
          const id = Buffer.allocUnsafe(8)
          id.writeBigInt64BE(BigInt(r.id))
          parts.push(count, binaryField(id), modelField, binaryField(uuidBytes(r.collectionId)), binaryField(vectorBinary(space.next())))
          if (parts.length >= 5 * 1000) {
            await write(Buffer.concat(parts))
            parts = []
          }
        }
        const trailer = Buffer.allocUnsafe(2)
        trailer.writeInt16BE(-1)
        parts.push(trailer)
        await write(Buffer.concat(parts))
      }),
    )
    await sql`analyze chunk_embeddings`
    console.log(`${dims} dims: ${ROWS} vectors loaded in ${fmt(seconds(loadMs))} s (binary COPY)`)

    // Index builds: the product's own index for `vector`, the same shape as halfvec.
    const vectorShape = vectorIndexShape(dims)!
    const halfShape: VectorIndexShape = { type: `halfvec(${dims})`, opclass: 'halfvec_cosine_ops' }
    const halfName = `${embeddingIndexName(model, dims)}_half`
    const [, vectorBuildMs] = await time(() => ensureEmbeddingIndex(sql, model, dims))
    const [, halfBuildMs] = HALFVEC ? await time(() => sql.unsafe(`create index ${halfName} on chunk_embeddings using hnsw ((embedding::${halfShape.type}) ${halfShape.opclass}) where model = ${quoteLiteral(model)}`)) : [null, NaN]
    const sizes = await sql<{ name: string; mib: number }[]>`select relname as name, (pg_relation_size(oid) / 1048576.0)::float8 as mib from pg_class where relname in (${embeddingIndexName(model, dims)}, ${halfName})`
    const size = (n: string) => sizes.find((s) => s.name === n)?.mib ?? NaN
    const [heap] = await sql<{ mib: number }[]>`select (pg_table_size('chunk_embeddings') / 1048576.0)::float8 as mib`
    indexRows.push([dims, 'vector', fmt(seconds(vectorBuildMs)), fmt(size(embeddingIndexName(model, dims)), 0)])
    if (HALFVEC) indexRows.push([dims, 'halfvec', fmt(seconds(halfBuildMs)), fmt(size(halfName), 0)])
    await sql`analyze chunk_embeddings`
    console.log(`${dims} dims: HNSW vector built in ${fmt(seconds(vectorBuildMs))} s (${fmt(size(embeddingIndexName(model, dims)), 0)} MiB), halfvec in ${fmt(seconds(halfBuildMs))} s (${fmt(size(halfName), 0)} MiB); chunk_embeddings now ${fmt(heap!.mib, 0)} MiB`)

    const queries = Array.from({ length: QUERIES }, () => vectorText(space.next()))
    for (const filter of FILTERS) {
      const ids = collections.slice(0, filter.collections).map((c) => c.id)
      const searched = collections.slice(0, filter.collections).reduce((a, c) => a + c.rows, 0)
      const truth: VectorMatch[][] = []
      const exactMs: number[] = []
      for (const vector of queries) {
        const [found, ms] = await time(() => searchNearestChunksExact(one, { model, vector, collectionIds: ids, limit: K }))
        truth.push(found)
        exactMs.push(ms)
      }
      const e = summarize(exactMs)
      searchRows.push([dims, 'vector', filter.label, searched, 'exact scan', '100.0', fmt(e.p50), fmt(e.p95), '–'])
      // The index path (index first, exact when it comes up short) for both types,
      // then what the product does: the exact scan within EXACT_SCAN_BUDGET.
      const productRows = Math.floor(EXACT_SCAN_BUDGET / dims)
      const productEf = efSearchFor(await estimateIndexRows(sql, embeddingIndexName(model, dims)), CANDIDATES)
      for (const ef of EF_SWEEP) {
        const half = queries.slice(0, Math.ceil(queries.length / 2))
        const ms: number[] = []
        let hits = 0
        for (let i = 0; i < half.length; i++) {
          const p = { model, shape: vectorShape, vector: half[i]!, collectionIds: ids, limit: CANDIDATES, efSearch: ef }
          const [found, t] = await time(() => one.begin('read only', async (tx) => (await planForActualParameters(tx), searchNearestChunks(tx, p))))
          ms.push(t)
          const want = new Set(truth[i]!.map((m) => m.chunkId))
          hits += found.slice(0, K).filter((m) => want.has(m.chunkId)).length
        }
        const s = summarize(ms)
        const recall = (100 * hits) / (K * half.length)
        sweepRows.push([dims, filter.label, searched, ef, fmt(recall), fmt(s.p50), fmt(s.p95)])
        console.log(`${dims} vector filter ${filter.label}: HNSW ef_search ${ef} (choose half): recall@10 ${fmt(recall)} %, p50 ${fmt(s.p50)} / p95 ${fmt(s.p95)} ms`)
      }
      const paths = [
        ['vector', vectorShape, embeddingIndexName(model, dims), `HNSW index (ef_search ${CANDIDATES})`, 0, CANDIDATES],
        ...(HALFVEC ? ([['halfvec', halfShape, halfName, `HNSW index (ef_search ${CANDIDATES})`, 0, CANDIDATES]] as const) : []),
        ['vector', vectorShape, embeddingIndexName(model, dims), `product query (ef_search ${productEf}; exact ≤ ${productRows.toLocaleString('en')} rows)`, productRows, undefined],
      ] as const
      for (const [type, shape, indexName, label, exactRows, efSearch] of paths) {
        const before = await indexScans(one, sql, indexName)
        const ms: number[] = []
        let hits = 0
        for (let i = 0; i < queries.length; i++) {
          const p = { model, vector: queries[i]!, collectionIds: ids, limit: CANDIDATES, shape, exactRows, efSearch }
          const [found, t] = await time(() => one.begin('read only', (tx) => nearestChunks(tx, p)))
          ms.push(t)
          const want = new Set(truth[i]!.map((m) => m.chunkId))
          hits += found.slice(0, K).filter((m) => want.has(m.chunkId)).length
        }
        const used = (await indexScans(one, sql, indexName)) - before
        const s = summarize(ms)
        const recall = (100 * hits) / (K * queries.length)
        searchRows.push([dims, type, filter.label, searched, label, fmt(recall), fmt(s.p50), fmt(s.p95), used > 0 ? 'yes' : 'no'])
        console.log(`${dims} ${type} filter ${filter.label}: exact p50 ${fmt(e.p50)} ms; ${label}: recall@10 ${fmt(recall)} %, p50 ${fmt(s.p50)} / p95 ${fmt(s.p95)} ms, index used: ${used > 0}`)
      }

      if (dims === DIMS[0]) {
        // Hybrid through hybridSearch: a text question plus a vector of the same space.
        const qrand = random(7)
        const hybridQueries = queries.slice(0, HYBRID_QUERIES)
        const texts = hybridQueries.map(() => chunkText(words, qrand, 9).split(' ').slice(0, 8).join(' '))
        const times: Record<string, number[]> = { 'full text': [], vector: [], hybrid: [] }
        let hitCount = 0
        for (let i = 0; i < hybridQueries.length; i++) {
          const vec = JSON.parse(queries[i]!) as number[]
          const embedder: EmbeddingProvider = { name: model, dimensions: dims, embed: async () => [vec] }
          for (const method of ['full text', 'vector', 'hybrid'] as const) {
            const [r, t] = await time(() =>
              hybridSearch(one, { collectionIds: ids, query: texts[i]!, k: K, embedder: method === 'full text' ? null : embedder, model: method === 'full text' ? null : model, dimensions: dims, publicUrl: 'http://localhost', fullText: method !== 'vector' }),
            )
            times[method]!.push(t)
            if (method === 'hybrid') hitCount += r.hits.length
          }
        }
        const [ft, ve, hy] = [summarize(times['full text']!), summarize(times.vector!), summarize(times.hybrid!)]
        hybridRows.push([filter.label, searched, `${fmt(ft.p50)} / ${fmt(ft.p95)}`, `${fmt(ve.p50)} / ${fmt(ve.p95)}`, `${fmt(hy.p50)} / ${fmt(hy.p95)}`, fmt(hitCount / hybridQueries.length, 1)])
        console.log(`hybridSearch filter ${filter.label}: full text ${fmt(ft.p50)}/${fmt(ft.p95)}, vector ${fmt(ve.p50)}/${fmt(ve.p95)}, hybrid ${fmt(hy.p50)}/${fmt(hy.p95)} ms (p50/p95)`)
      }
    }
  }

  const md = [
    `${ROWS.toLocaleString('en')} chunks (~${WORDS_PER_CHUNK} words of real transcript text each; chunks table ${fmt(chunksMiB, 0)} MiB, loaded by COPY in ${fmt(seconds(chunkMs), 0)} s) in 10 collections; clustered random unit vectors (${CLUSTERS} clusters), ${QUERIES} queries per row, one client, sequential. HNSW: pgvector defaults (m 16, ef_construction 64), HNSW searched as the product does (iterative relaxed scan, ${CANDIDATES} candidates, top ${K} kept, ef_search from efSearchFor (the index's size) unless the row says otherwise; exact scan when it comes up short); the product query compares every vector when the filter leaves at most ${EXACT_SCAN_BUDGET.toLocaleString('en')} vectors × dimensions; maintenance_work_mem ${settings!.mwm}, ${settings!.workers} parallel maintenance workers.`,
    '',
    '**Index build** (`ensureEmbeddingIndex` for vector; the same partial expression index as halfvec)',
    '',
    markdownTable(['dims', 'type', 'build s', 'index MiB (pg_relation_size)'], indexRows),
    '',
    ...(EF_SWEEP.length
      ? [
          `**hnsw.ef_search sweep** (vector, HNSW only, no exact fallback; the first ${Math.ceil(QUERIES / 2)} queries; recall@10 against the exact scan of the same filter)`,
          '',
          markdownTable(['dims', 'filter', 'rows searched', 'ef_search', 'recall@10 %', 'p50 ms', 'p95 ms'], sweepRows),
          '',
        ]
      : []),
    '**Nearest neighbours** (recall@10 against the exact scan of the same filter; all queries)',
    '',
    markdownTable(['dims', 'type', 'filter', 'rows searched', 'method', 'recall@10 %', 'p50 ms', 'p95 ms', 'HNSW index used'], searchRows),
    '',
    `**hybridSearch** (${DIMS[0]} dims; ${HYBRID_QUERIES} eight-word questions cut from the transcripts; p50 / p95 ms; includes fetching the passages and ts_headline)`,
    '',
    markdownTable(['filter', 'rows searched', 'full text only', 'vector only', 'hybrid (product fusion)', 'hits per query'], hybridRows),
  ].join('\n')
  console.log(`\n${md}`)
  updateResults(ROWS === 100_000 ? 'retrieval' : `retrieval (${ROWS.toLocaleString('en')} rows)`, machine, md, { durationSeconds: (performance.now() - started) / 1000 })
} finally {
  await one.end({ timeout: 5 })
  await sql.end({ timeout: 5 })
  await db.drop()
}

/** Times the index was scanned, after the searching connection has flushed its statistics. */
async function indexScans(searcher: Sql, sql: Sql, name: string): Promise<number> {
  await searcher`select pg_stat_force_next_flush()`
  await searcher`select 1`
  await Bun.sleep(20)
  const [row] = await sql<{ n: number }[]>`select coalesce(sum(idx_scan), 0)::int as n from pg_stat_user_indexes where indexrelname = ${name}`
  return row!.n
}
