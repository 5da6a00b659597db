import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { makeUser } from '../../testing/factories.ts'
import { addEmbeddedVideo } from '../../testing/searchCorpus.ts'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { insertCollection } from '../collections/sql.ts'
import { loadConfig } from '../platform/config.ts'
import type { Db } from '../platform/db.ts'
import { chunkSegments } from '../retrieval/chunkSegments.ts'
import { placeMoments } from '../retrieval/hitMoments.ts'
import { rankHits } from '../retrieval/hybridSearch.ts'
import { localEmbedder } from '../retrieval/localEmbedder.ts'
import type { PassageMoments } from '../retrieval/selectMoment.ts'
import type { Segment } from '../retrieval/types.ts'
import { locateCitations } from './citationMoments.ts'
import { toSourceView } from './views.ts'

const config = loadConfig({
  NODE_ENV: 'test',
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  PUBLIC_URL: 'https://kt.example',
})

// One passage of a baking talk, a line every 5 s from 300 s: stretches of 20 s start at 300, 320 and 340 s.
const LINES = [
  'Welcome back everyone, today we talk about bread.',
  'First you need a starter, which is just flour and water.',
  'Feed the starter every day for about a week.',
  'It should double in size a few hours after feeding.',
  'Now the dough itself: flour, water, salt and some starter.',
  'Mix it and let it rest for an hour before you shape it.',
  'Then stretch and fold the dough every thirty minutes.',
  'The oven must be very hot, two hundred and fifty degrees.',
  'Bake it in a covered pot for twenty minutes.',
  'Then take the lid off and bake another twenty minutes.',
  'Let it cool for an hour before cutting it.',
  'Cutting warm bread makes the crumb gummy.',
]
const segments: Segment[] = LINES.map((text, i) => ({
  startMs: 300_000 + i * 5_000,
  endMs: 300_000 + i * 5_000 + 4_500,
  speaker: null,
  text,
}))

let db: TestDatabase
let collectionId: string

beforeAll(async () => {
  db = await createTestDatabase()
  const owner = await makeUser(db.sql, config, 'owner')
  collectionId = await insertCollection(db.sql, owner.id, 'Baking', '')
  await addEmbeddedVideo(
    db.sql,
    { collectionId, addedBy: owner.id, sourceType: 'youtube', youtubeId: 'bakebakebak' },
    chunkSegments(segments),
    localEmbedder,
    segments,
  )
})
afterAll(() => db.drop())

const search = (query: string) =>
  rankHits(db.sql, {
    collectionIds: [collectionId],
    query,
    k: 3,
    embedder: localEmbedder,
    model: localEmbedder.name,
    dimensions: localEmbedder.dimensions,
    publicUrl: config.PUBLIC_URL,
  })

// Any statement at all fails: proves the citations were placed from what retrieval prepared.
const noDatabase = (() => {
  throw new Error('the database was read')
}) as unknown as Db

describe('citation moments', () => {
  test('a source is prepared once, opens where the question points, and its citation where the citing sentence points', async () => {
    const ranked = await search('how hot should the oven be to bake bread')
    const prepared = new Map<number, PassageMoments>()
    const hits = placeMoments(ranked.hits, 'how hot should the oven be to bake bread', ranked.cues, prepared)
    expect([...prepared.keys()]).toEqual(hits.map((h) => h.chunkId))
    const passage = prepared.get(hits[0]!.chunkId)
    // Placing again (a second question over the same passages) reuses the prepared passage.
    placeMoments(ranked.hits, 'when do I feed the starter', ranked.cues, prepared)
    expect(prepared.get(hits[0]!.chunkId)).toBe(passage!)
    // "The oven must be very hot" at 335 s is in the stretch from 320 s.
    expect(hits[0]!.momentStartMs).toBe(320_000)
    expect(hits[0]!.deepLink).toBe('https://youtu.be/bakebakebak?t=320')

    const answer = 'Feed your starter daily for a week [1]. The oven should be very hot [1].'
    const sources = hits.map((h, i) => toSourceView(h, i + 1))
    const reused = await locateCitations(noDatabase, 'Feed your starter every day for a week [1].', sources.slice(0, 1), prepared)
    // The citing sentence is about feeding: the link moves to the stretch holding "Feed the starter every day" (310 s).
    expect(reused[0]!.momentStartMs).toBe(300_000)
    expect(reused[0]!.deepLink).toBe('https://youtu.be/bakebakebak?t=300')
    // Read from the database instead (an artifact's passages), the same moments.
    expect(await locateCitations(db.sql, answer, sources.slice(0, 1))).toEqual(
      await locateCitations(noDatabase, answer, sources.slice(0, 1), prepared),
    )
  })
})
