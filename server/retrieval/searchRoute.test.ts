// The search route over a real 74-minute talk: snippets cut around the
// matched words, and no filler below the relevance floor (relevanceFloor.ts).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { describeWithDatasets, transcriptPath } from '../../testing/datasets.ts'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import { addEmbeddedVideo } from '../../testing/searchCorpus.ts'
import { createTestApp, type TestApp } from '../../testing/testApp.ts'
import { insertCollection } from '../collections/sql.ts'
import { parseTranscript } from '../videos/transcripts/parseTranscript.ts'
import { chunkSegments } from './chunkSegments.ts'
import { ensureEmbeddingIndex } from './embeddingIndex.ts'
import { SNIPPET_WORDS } from './highlight.ts'
import { hybridSearch } from './hybridSearch.ts'
import { localEmbedder } from './localEmbedder.ts'
import type { Hit } from './model.ts'
import { MAX_VECTOR_ONLY_DISTANCE } from './relevanceFloor.ts'
import type { Segment } from './types.ts'

let t: TestApp
let owner: TestUser
let collectionId: string

describeWithDatasets('collection search over a real talk', () => {
  beforeAll(async () => {
    t = await createTestApp()
    await ensureEmbeddingIndex(t.db.sql, localEmbedder.name, localEmbedder.dimensions)
    owner = await makeUser(t.db.sql, t.config, 'owner')
    collectionId = await insertCollection(t.db.sql, owner.id, 'Talk Python', '')
    const vtt = readFileSync(transcriptPath('talkpython__534-diskcache-your-secret-python-perf-weapon.vtt'), 'utf8')
    const segments = parseTranscript('vtt', vtt) as Segment[]
    await addEmbeddedVideo(
      t.db.sql,
      { collectionId, addedBy: owner.id, title: 'DiskCache' },
      chunkSegments(segments),
      localEmbedder,
      segments,
    )
  })
  afterAll(() => t?.close())

  const search = async (q: string, k = 20): Promise<Hit[]> => {
    const res = await t.call(owner, `/api/collections/${collectionId}/search?${new URLSearchParams({ q, k: String(k) })}`)
    expect(res.status).toBe(200)
    return (await res.json()).hits
  }
  const words = (html: string) => html.replace(/<\/?mark>/g, '').split(/\s+/).length

  test('every snippet shows the words that matched, cut around them', async () => {
    const hits = await search('SQLite')
    expect(hits.length).toBeGreaterThan(2)
    for (const hit of hits) {
      expect(hit.snippetHtml).toMatch(/<mark>sqlite<\/mark>/i)
      // Passages are ~300 words; the snippet is the window, plus its ellipses.
      expect(words(hit.snippetHtml)).toBeLessThanOrEqual(SNIPPET_WORDS + 2)
      expect(hit.text.split(/\s+/).length).toBeGreaterThan(SNIPPET_WORDS)
    }
    // A match deep in its passage is still in the snippet, with an ellipsis before it.
    expect(hits.some((h) => h.snippetHtml.startsWith('… '))).toBe(true)
  })

  test('a word that occurs in few passages lists those, not k passages of filler', async () => {
    const hits = await search('Redis', 20)
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.length).toBeLessThan(20)
    for (const hit of hits)
      expect(hit.fullTextRank !== null || hit.vectorDistance! <= MAX_VECTOR_ONLY_DISTANCE[localEmbedder.name]!).toBe(true)
  })

  test('a question the talk does not touch finds nothing, where chat retrieval (no floor) still fills k', async () => {
    const q = 'how does photosynthesis work in tropical rainforests?'
    expect(await search(q)).toEqual([])
    const unfloored = await hybridSearch(t.db.sql, {
      collectionIds: [collectionId],
      query: q,
      k: 8,
      embedder: localEmbedder,
      model: localEmbedder.name,
      dimensions: localEmbedder.dimensions,
      publicUrl: t.config.PUBLIC_URL,
    })
    expect(unfloored.hits).toHaveLength(8)
  })
})
