import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { describeWithDatasets, transcriptPath } from '../../testing/datasets.ts'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { makeUser } from '../../testing/factories.ts'
import { insertCollection } from '../collections/sql.ts'
import { loadConfig } from '../platform/config.ts'
import type { Sql, TransactionSql } from '../platform/db.ts'
import { insertVideo, replaceSegments } from '../videos/sql.ts'
import { parseTranscript } from '../videos/transcripts/parseTranscript.ts'
import { chunkSegments } from './chunkSegments.ts'
import { embeddingIndexName, ensureEmbeddingIndex } from './embeddingIndex.ts'
import { anyTermQuery, efSearchFor, fuseRankings, hybridSearch, nearestChunks, searchCollections, type HybridSearchOptions } from './hybridSearch.ts'
import { localEmbedder } from './localEmbedder.ts'
import * as q from './sql.ts'
import type { Chunk, EmbeddingProvider, Segment } from './types.ts'

const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789', PUBLIC_URL: 'https://kt.example' })
const TRANSCRIPT = transcriptPath('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')

let db: TestDatabase
let ownerId: string

beforeAll(async () => {
  db = await createTestDatabase()
  ownerId = (await makeUser(db.sql, config, 'owner')).id
  await ensureEmbeddingIndex(db.sql, localEmbedder.name, localEmbedder.dimensions)
})
afterAll(() => db.drop())

type VideoSpec = {
  collectionId: string
  title?: string
  sourceType?: 'youtube' | 'transcript' | 'audio'
  youtubeId?: string | null
  language?: string | null
  hasTimestamps?: boolean
}

/** A ready video with its chunks written and embedded, as the embed job leaves it. */
async function addVideo(sql: Sql, spec: VideoSpec, chunks: Chunk[], embedder: EmbeddingProvider = localEmbedder, segments?: Segment[]): Promise<{ videoId: string; chunkIds: number[] }> {
  const video = await insertVideo(sql, {
    collectionId: spec.collectionId,
    addedBy: ownerId,
    sourceType: spec.sourceType ?? 'transcript',
    title: spec.title ?? 'A video',
    youtubeId: spec.youtubeId ?? null,
    language: spec.language ?? 'en',
    hasTimestamps: spec.hasTimestamps ?? true,
  })
  const vectors = await embedder.embed(chunks.map((c) => c.text))
  const chunkIds = await sql.begin(async (tx) => {
    if (segments) await replaceSegments(tx, video.id, segments)
    const ids = await q.insertChunks(tx, video.id, spec.collectionId, q.tsConfigForLanguage(spec.language ?? 'en'), chunks)
    const rows = ids.flatMap((chunkId, i) => (q.isZeroVector(vectors[i]!) ? [] : [{ chunkId, model: embedder.name, collectionId: spec.collectionId, embedding: vectors[i]! }]))
    await q.insertChunkEmbeddings(tx, rows)
    return ids
  })
  await sql`update collections set embedding_model = ${embedder.name} where id = ${spec.collectionId}`
  return { videoId: video.id, chunkIds }
}

function textChunks(texts: string[], msEach = 10_000): Chunk[] {
  return texts.map((text, i) => ({
    ordinal: i,
    text,
    startMs: i * msEach,
    endMs: (i + 1) * msEach,
    speakers: [],
    segmentStart: i,
    segmentEnd: i,
    wordCount: text.split(' ').length,
  }))
}

const newCollection = (name: string) => insertCollection(db.sql, ownerId, name, '')

function options(collectionIds: string[], query: string, extra: Partial<HybridSearchOptions> = {}): HybridSearchOptions {
  return { collectionIds, query, k: 3, embedder: localEmbedder, model: localEmbedder.name, dimensions: localEmbedder.dimensions, publicUrl: config.PUBLIC_URL, ...extra }
}

describeWithDatasets('hybridSearch over a real podcast transcript', () => {
  let collectionId: string

  beforeAll(async () => {
    collectionId = await newCollection('Talk Python')
    const segments = parseTranscript('vtt', readFileSync(TRANSCRIPT, 'utf8')) as Segment[]
    await addVideo(db.sql, { collectionId, title: 'DiskCache', sourceType: 'youtube', youtubeId: 'abcdefghijk' }, chunkSegments(segments), localEmbedder, segments)
  })

  // "This will depend on your scenario, default is eight." at 00:34:44.379
  test('a keyword question finds the moment that answers it in the top 3', async () => {
    const { hits, methods } = await hybridSearch(db.sql, options([collectionId], 'How many shards does FanoutCache use by default?'))
    expect(methods).toEqual({ vector: true, fullText: true })
    const moment = 34 * 60_000 + 44_379
    const hit = hits.find((h) => h.startMs! <= moment && moment <= h.endMs!)!
    expect(hit).toBeDefined()
    // The link opens at a stretch of at most 20 s, at or before the answer and
    // at most one stretch early: the lead-in takes the earliest stretch scoring
    // close to the best, and here the embedder's share ("fanout cache" next to
    // "FanoutCache") lifts the stretch before the answer, 30 s early (with the
    // lexical score alone it is the answer's own stretch; see selectMoment.ts).
    expect(hit.momentStartMs!).toBeLessThanOrEqual(moment)
    expect(moment - hit.momentStartMs!).toBeLessThanOrEqual(40_000)
    expect(hit.momentEndMs! - hit.momentStartMs!).toBeLessThanOrEqual(20_000)
    expect(hit.deepLink).toBe(`https://youtu.be/abcdefghijk?t=${hit.momentSeconds}`)
  })

  // "The default for the disk size is one gig." at 00:43:06.180, in a passage on eviction policies
  test('a paraphrased question finds the moment that answers it in the top 3', async () => {
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'How large can the cache grow on disk before old items get evicted?'))
    const moment = 43 * 60_000 + 6_180
    expect(hits.some((h) => h.startMs! <= moment && moment <= h.endMs!)).toBe(true)
  })

  test('hits carry the passage range, a YouTube link to the moment inside it, and the matched words marked', async () => {
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'pickle serialization'))
    const top = hits[0]!
    expect(top.startSeconds).toBe(Math.floor(top.startMs! / 1000))
    expect(top.momentStartMs!).toBeGreaterThanOrEqual(top.startMs!)
    expect(top.momentStartMs!).toBeLessThanOrEqual(top.endMs!)
    expect(top.deepLink).toBe(`https://youtu.be/abcdefghijk?t=${Math.floor(top.momentStartMs! / 1000)}`)
    expect(top.snippetHtml).toMatch(/<mark>pickle<\/mark>/i)
    expect(top.fullTextRank).not.toBeNull()
    expect(top.score).toBeGreaterThan(0)
  })

  test('a question of stopwords only searches nothing and returns no hits', async () => {
    expect(await hybridSearch(db.sql, options([collectionId], 'what is the and of it'))).toEqual({ hits: [], methods: { vector: false, fullText: false } })
  })

  test('without an embedder the search is full text only', async () => {
    const { hits, methods } = await hybridSearch(db.sql, options([collectionId], 'SQLite', { embedder: null, model: null, dimensions: null }))
    expect(methods).toEqual({ vector: false, fullText: true })
    expect(hits.length).toBe(3)
    expect(hits.every((h) => h.vectorRank === null && h.fullTextRank !== null)).toBe(true)
  })

  test('an embedding outage degrades to full text when the caller allows it', async () => {
    const failing: EmbeddingProvider = { name: localEmbedder.name, dimensions: localEmbedder.dimensions, embed: () => Promise.reject(new Error('down')) }
    const errors: unknown[] = []
    const { methods } = await hybridSearch(db.sql, options([collectionId], 'SQLite', { embedder: failing, onEmbeddingError: (e) => errors.push(e) }))
    expect(methods).toEqual({ vector: false, fullText: true })
    expect(errors).toHaveLength(1)
  })
})

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
    for (const [collectionId, count] of [[big, TOTAL - SMALL], [small, SMALL]] as const) {
      const chunks = textChunks(Array.from({ length: count }, (_, i) => `filler passage ${i}`))
      const embeddings = chunks.map(() => unit())
      let next = 0
      const embedder: EmbeddingProvider = { name: MODEL, dimensions: DIMS, embed: async (texts) => texts.map(() => embeddings[next++]!) }
      const { chunkIds } = await addVideo(db.sql, { collectionId }, chunks, embedder)
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
      q.searchNearestChunks(tx, { model: MODEL, shape: { type: `vector(${DIMS})`, opclass: 'vector_cosine_ops' }, vector: q.vectorLiteral(query), collectionIds: [small], limit: 50 }),
    )
    expect(found.length).toBeLessThan(10)
  })

  // Both ways to the vectors: the small collection compared exhaustively (the
  // default), and the index first (no exact budget), coming up short, then exact.
  for (const [label, exactScanBudget] of [['compared in full, being small', undefined], ['through the index, then in full when it comes up short', 0]] as const) {
    test(`search still returns k hits, the exact nearest ones: ${label}`, async () => {
      const k = 10
      const { hits, methods } = await hybridSearch(lowScanSql, options([small], 'zebra', { k, embedder, model: MODEL, dimensions: DIMS, exactScanBudget }))
      expect(methods.vector).toBe(true)
      const cosine = (v: number[]) => 1 - v.reduce((s, x, i) => s + x * query[i]!, 0)
      const exact = [...vectors.entries()].sort((a, b) => cosine(a[1]) - cosine(b[1])).slice(0, k).map(([id]) => id)
      expect(hits.map((h) => h.chunkId)).toEqual(exact)
      expect(hits.map((h) => h.vectorRank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    })
  }

  /** Which searches `run` sent: 'index' (the HNSW query) and/or 'exact', in order, read from the client's own query log. */
  async function pathsTaken(run: (tx: TransactionSql) => Promise<unknown>): Promise<string[]> {
    const sent: string[] = []
    const traced = postgres(db.url, { max: 1, transform: postgres.camel, onnotice: () => {}, debug: (_connection, query) => sent.push(query) }) as unknown as Sql
    try {
      await traced.begin((tx) => run(tx))
    } finally {
      await traced.end()
    }
    return sent.flatMap((query) => (query.includes('with nearest as') ? ['index'] : query.includes('with scoped as') ? ['exact'] : []))
  }

  test('a collection within its exact budget is compared in full; over it, searched through the index', async () => {
    const p = { model: MODEL, vector: q.vectorLiteral(query), collectionIds: [small], limit: 5, shape: { type: `vector(${DIMS})`, opclass: 'vector_cosine_ops' } }
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
    const p = { model: MODEL, vector: q.vectorLiteral(query), collectionIds: [small], limit: 45, shape: { type: `vector(${DIMS})`, opclass: 'vector_cosine_ops' }, exactRows: 10 }
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

describe('hybridSearch per language and safety', () => {
  test('Danish passages are found by an inflected Danish question', async () => {
    const collectionId = await newCollection('dansk')
    await addVideo(db.sql, { collectionId, language: 'da' }, textChunks(['Bilerne holder parkeret foran de grønne huse i byen.', 'Vejret i dag er koldt og regnfuldt.']))
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'bil hus', { embedder: null, model: null, dimensions: null }))
    expect(hits.map((h) => h.text)).toEqual(['Bilerne holder parkeret foran de grønne huse i byen.'])
    expect(hits[0]!.snippetHtml).toBe('<mark>Bilerne</mark> holder parkeret foran de grønne <mark>huse</mark> i byen.')
  })

  test('a rare word outranks a common one repeated, as with BM25', async () => {
    const collectionId = await newCollection('rarity')
    const texts = ['the meeting meeting meeting went long', 'another meeting about lunch', 'a meeting on budgets', 'we set up the fanout cache', 'meeting notes were shared']
    await addVideo(db.sql, { collectionId }, textChunks(texts))
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'meeting fanout', { embedder: null, model: null, dimensions: null, k: 5 }))
    expect(hits[0]!.text).toBe('we set up the fanout cache')
    expect(hits).toHaveLength(5)
  })

  test('a transcript containing markup comes out escaped, with only the matches marked', async () => {
    const collectionId = await newCollection('markup')
    await addVideo(db.sql, { collectionId }, textChunks(['He typed <script>alert("owned")</script> & the cache broke']))
    // Postgres's parser reads tags (and a script's body) as blanks, so only "cache" matches.
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'cache script alert'))
    expect(hits[0]!.snippetHtml).toBe('He typed &lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; the <mark>cache</mark> broke')
    expect(hits[0]!.text).toContain('<script>')
  })

  test('deep links follow the source: upload with times, plain text without', async () => {
    const collectionId = await newCollection('links')
    const audio = await addVideo(db.sql, { collectionId, sourceType: 'audio' }, textChunks(['intro', 'the compressor settings matter'], 61_500))
    const plain = await addVideo(db.sql, { collectionId, sourceType: 'transcript', hasTimestamps: false }, [
      { ordinal: 0, text: 'the compressor settings again', startMs: null, endMs: null, speakers: [], segmentStart: 0, segmentEnd: 0, wordCount: 4 },
    ])
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'compressor settings'))
    const byVideo = new Map(hits.filter((h) => h.text.includes('compressor')).map((h) => [h.videoId, h]))
    expect(byVideo.get(audio.videoId)).toMatchObject({ deepLink: `https://kt.example/videos/${audio.videoId}?t=61`, startSeconds: 61, endSeconds: 123 })
    expect(byVideo.get(plain.videoId)).toMatchObject({ deepLink: `https://kt.example/videos/${plain.videoId}`, startSeconds: null, endSeconds: null })
  })

  test('searchCollections uses each collection’s model and never strays outside the given collections', async () => {
    const mine = await newCollection('mine')
    const other = await newCollection('other')
    await addVideo(db.sql, { collectionId: mine }, textChunks(['quarterly revenue grew in the northern region']))
    await addVideo(db.sql, { collectionId: other }, textChunks(['quarterly revenue fell in the southern region']))
    const { hits, methods } = await searchCollections(db.sql, config, { collectionIds: [mine], query: 'quarterly revenue', k: 10 })
    expect(methods).toEqual({ vector: true, fullText: true })
    expect(hits.map((h) => h.collectionId)).toEqual([mine])
  })
})

describe('query shaping and fusion', () => {
  test('question words are ORed while phrases and exclusions keep their meaning', () => {
    expect(anyTermQuery("'remot' <-> 'control' & !'button' & 'cost' & 'cost'")).toEqual({ tsQuery: "('remot' <-> 'control' | 'cost') & !'button'", terms: ["'remot' <-> 'control'", "'cost'"], negative: ["!'button'"] })
    expect(anyTermQuery("'cach'")).toEqual({ tsQuery: "'cach'", terms: ["'cach'"], negative: [] })
    expect(anyTermQuery("!'cach'")).toBeNull()
    expect(anyTermQuery('')).toBeNull()
  })

  test('reciprocal rank fusion rewards agreement and breaks ties by best rank, then id', () => {
    const fused = fuseRankings([
      [1, 2, 3],
      [3, 4, 5],
    ])
    expect(fused.map((f) => f.chunkId)).toEqual([3, 1, 2, 4, 5])
    expect(fused[0]!.ranks).toEqual([3, 1])
    expect(fuseRankings([[7], [6]]).map((f) => f.chunkId)).toEqual([6, 7])
  })
})
