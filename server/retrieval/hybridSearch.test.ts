import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { describeWithDatasets, transcriptPath } from '../../testing/datasets.ts'
import { makeUser } from '../../testing/factories.ts'
import { addEmbeddedVideo, textChunks, type VideoSpec } from '../../testing/searchCorpus.ts'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { insertCollection } from '../collections/sql.ts'
import { loadConfig } from '../platform/config.ts'
import type { Sql } from '../platform/db.ts'
import { parseTranscript } from '../videos/transcripts/parseTranscript.ts'
import { chunkSegments } from './chunkSegments.ts'
import { ensureEmbeddingIndex } from './embeddingIndex.ts'
import { anyTermQuery, fuseRankings, hybridSearch, type HybridSearchOptions } from './hybridSearch.ts'
import { searchCollections } from './searchCollections.ts'
import { localEmbedder } from './localEmbedder.ts'
import type { Chunk, EmbeddingProvider, Segment } from './types.ts'

const config = loadConfig({
  NODE_ENV: 'test',
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  PUBLIC_URL: 'https://kt.example',
})
const TRANSCRIPT = transcriptPath('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt')

let db: TestDatabase
let ownerId: string

beforeAll(async () => {
  db = await createTestDatabase()
  ownerId = (await makeUser(db.sql, config, 'owner')).id
  await ensureEmbeddingIndex(db.sql, localEmbedder.name, localEmbedder.dimensions)
})
afterAll(() => db.drop())

/** A ready video with its chunks written and embedded, as the embed job leaves it. */
const addVideo = (sql: Sql, spec: Omit<VideoSpec, 'addedBy'>, chunks: Chunk[], embedder?: EmbeddingProvider, segments?: Segment[]) =>
  addEmbeddedVideo(sql, { addedBy: ownerId, ...spec }, chunks, embedder, segments)

const newCollection = (name: string) => insertCollection(db.sql, ownerId, name, '')

function options(collectionIds: string[], query: string, extra: Partial<HybridSearchOptions> = {}): HybridSearchOptions {
  return {
    collectionIds,
    query,
    k: 3,
    embedder: localEmbedder,
    model: localEmbedder.name,
    dimensions: localEmbedder.dimensions,
    publicUrl: config.PUBLIC_URL,
    ...extra,
  }
}

describeWithDatasets('hybridSearch over a real podcast transcript', () => {
  let collectionId: string

  beforeAll(async () => {
    collectionId = await newCollection('Talk Python')
    const segments = parseTranscript('vtt', readFileSync(TRANSCRIPT, 'utf8')) as Segment[]
    await addVideo(
      db.sql,
      { collectionId, title: 'DiskCache', sourceType: 'youtube', youtubeId: 'abcdefghijk' },
      chunkSegments(segments),
      localEmbedder,
      segments,
    )
  })

  // "This will depend on your scenario, default is eight." at 00:34:44.379
  test('a keyword question finds the moment that answers it in the top 3', async () => {
    const { hits, methods } = await hybridSearch(db.sql, options([collectionId], 'How many shards does FanoutCache use by default?'))
    expect(methods).toEqual({ vector: true, fullText: true })
    const moment = 34 * 60_000 + 44_379
    const hit = hits.find((h) => h.startMs! <= moment && moment <= h.endMs!)!
    expect(hit).toBeDefined()
    // The link opens at the stretch (at most 20 s) that holds the answer. With
    // the embedder's cosine in the score (before it was dropped, see
    // selectMoment.ts) "fanout cache" next to "FanoutCache" lifted the stretch
    // before it, 30 s early.
    expect(hit.momentStartMs!).toBeLessThanOrEqual(moment)
    expect(hit.momentEndMs!).toBeGreaterThanOrEqual(moment)
    expect(hit.momentEndMs! - hit.momentStartMs!).toBeLessThanOrEqual(20_000)
    expect(hit.deepLink).toBe(`https://youtu.be/abcdefghijk?t=${hit.momentSeconds}`)
  })

  // "The default for the disk size is one gig." at 00:43:06.180, in a passage on eviction policies
  test('a paraphrased question finds the moment that answers it in the top 3', async () => {
    const { hits } = await hybridSearch(
      db.sql,
      options([collectionId], 'How large can the cache grow on disk before old items get evicted?'),
    )
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
    expect(await hybridSearch(db.sql, options([collectionId], 'what is the and of it'))).toEqual({
      hits: [],
      methods: { vector: false, fullText: false },
    })
  })

  test('without an embedder the search is full text only', async () => {
    const { hits, methods } = await hybridSearch(
      db.sql,
      options([collectionId], 'SQLite', { embedder: null, model: null, dimensions: null }),
    )
    expect(methods).toEqual({ vector: false, fullText: true })
    expect(hits.length).toBe(3)
    expect(hits.every((h) => h.vectorRank === null && h.fullTextRank !== null)).toBe(true)
  })

  test('an embedding outage degrades to full text when the caller allows it', async () => {
    const failing: EmbeddingProvider = {
      name: localEmbedder.name,
      dimensions: localEmbedder.dimensions,
      embed: () => Promise.reject(new Error('down')),
    }
    const errors: unknown[] = []
    const { methods } = await hybridSearch(
      db.sql,
      options([collectionId], 'SQLite', { embedder: failing, onEmbeddingError: (e) => errors.push(e) }),
    )
    expect(methods).toEqual({ vector: false, fullText: true })
    expect(errors).toHaveLength(1)
  })
})

describe('hybridSearch per language and safety', () => {
  test('Danish passages are found by an inflected Danish question', async () => {
    const collectionId = await newCollection('dansk')
    await addVideo(
      db.sql,
      { collectionId, language: 'da' },
      textChunks(['Bilerne holder parkeret foran de grønne huse i byen.', 'Vejret i dag er koldt og regnfuldt.']),
    )
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'bil hus', { embedder: null, model: null, dimensions: null }))
    expect(hits.map((h) => h.text)).toEqual(['Bilerne holder parkeret foran de grønne huse i byen.'])
    expect(hits[0]!.snippetHtml).toBe('<mark>Bilerne</mark> holder parkeret foran de grønne <mark>huse</mark> i byen.')
  })

  test('a rare word outranks a common one repeated, as with BM25', async () => {
    const collectionId = await newCollection('rarity')
    const texts = [
      'the meeting meeting meeting went long',
      'another meeting about lunch',
      'a meeting on budgets',
      'we set up the fanout cache',
      'meeting notes were shared',
    ]
    await addVideo(db.sql, { collectionId }, textChunks(texts))
    const { hits } = await hybridSearch(
      db.sql,
      options([collectionId], 'meeting fanout', { embedder: null, model: null, dimensions: null, k: 5 }),
    )
    expect(hits[0]!.text).toBe('we set up the fanout cache')
    expect(hits).toHaveLength(5)
  })

  test('rarity is counted per language even when the chosen videos use only one of them', async () => {
    // The question is parsed for both languages of the collection ('danish'
    // sorts before 'english'), but the conversation chose only the English
    // video: no passage answers the Danish terms' counts.
    const collectionId = await newCollection('mixed languages')
    await addVideo(db.sql, { collectionId, language: 'da' }, textChunks(['et fanout møde på dansk']))
    const texts = ['the meeting meeting meeting went long', 'another meeting about lunch', 'we set up the fanout cache', 'meeting notes']
    const english = await addVideo(db.sql, { collectionId, language: 'en' }, textChunks(texts))
    const { hits } = await hybridSearch(
      db.sql,
      options([collectionId], 'meeting fanout', { embedder: null, model: null, dimensions: null, k: 5, videoIds: [english.videoId] }),
    )
    expect(hits[0]!.text).toBe('we set up the fanout cache')
    expect(hits.map((h) => h.text).sort()).toEqual([...texts].sort())
  })

  test('a transcript containing markup comes out escaped, with only the matches marked', async () => {
    const collectionId = await newCollection('markup')
    await addVideo(db.sql, { collectionId }, textChunks(['He typed <script>alert("owned")</script> & the cache broke']))
    // Postgres's parser reads tags (and a script's body) as blanks, so only "cache" matches.
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'cache script alert'))
    expect(hits[0]!.snippetHtml).toBe('He typed &lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; the <mark>cache</mark> broke')
    expect(hits[0]!.text).toContain('<script>')
  })

  test('without snippets (chat makes its own) the same hits come back, with no snippet built', async () => {
    const collectionId = await newCollection('no-snippets')
    await addVideo(db.sql, { collectionId }, textChunks(['He typed <b>bold</b> & the cache broke', 'Nothing to see here.']))
    const shaped = options([collectionId], 'cache', { embedder: null, model: null, dimensions: null })
    const marked = await hybridSearch(db.sql, shaped)
    const plain = await hybridSearch(db.sql, { ...shaped, snippets: false })
    expect(plain.hits.map((h) => h.chunkId)).toEqual(marked.hits.map((h) => h.chunkId))
    expect(marked.hits[0]!.snippetHtml).toContain('<mark>cache</mark>')
    expect(plain.hits.map((h) => h.snippetHtml)).toEqual(plain.hits.map(() => ''))
    expect(plain.hits.map((h) => h.text)).toEqual(marked.hits.map((h) => h.text))
  })

  test('deep links follow the source: upload with times, plain text without', async () => {
    const collectionId = await newCollection('links')
    const audio = await addVideo(
      db.sql,
      { collectionId, sourceType: 'audio' },
      textChunks(['intro', 'the compressor settings matter'], 61_500),
    )
    const plain = await addVideo(db.sql, { collectionId, sourceType: 'transcript', hasTimestamps: false }, [
      {
        ordinal: 0,
        text: 'the compressor settings again',
        startMs: null,
        endMs: null,
        speakers: [],
        segmentStart: 0,
        segmentEnd: 0,
        wordCount: 4,
      },
    ])
    const { hits } = await hybridSearch(db.sql, options([collectionId], 'compressor settings'))
    const byVideo = new Map(hits.filter((h) => h.text.includes('compressor')).map((h) => [h.videoId, h]))
    expect(byVideo.get(audio.videoId)).toMatchObject({
      deepLink: `https://kt.example/videos/${audio.videoId}?t=61`,
      startSeconds: 61,
      endSeconds: 123,
    })
    expect(byVideo.get(plain.videoId)).toMatchObject({
      deepLink: `https://kt.example/videos/${plain.videoId}`,
      startSeconds: null,
      endSeconds: null,
    })
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
    expect(anyTermQuery("'remot' <-> 'control' & !'button' & 'cost' & 'cost'")).toEqual({
      tsQuery: "('remot' <-> 'control' | 'cost') & !'button'",
      terms: ["'remot' <-> 'control'", "'cost'"],
      negative: ["!'button'"],
    })
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
