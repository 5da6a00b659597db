import { afterAll, beforeAll, expect, test } from 'bun:test'
import { makeUser } from '../../testing/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { insertCollection } from '../collections/sql.ts'
import { loadConfig } from '../platform/config.ts'
import { insertVideo } from '../videos/sql.ts'
import * as q from './sql.ts'
import type { Chunk } from './types.ts'

let db: TestDatabase
let collectionId: string
let videoId: string

beforeAll(async () => {
  db = await createTestDatabase()
  const owner = await makeUser(db.sql, loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789' }))
  collectionId = await insertCollection(db.sql, owner.id, 'c', '')
  videoId = (await insertVideo(db.sql, { collectionId, addedBy: owner.id, sourceType: 'transcript', title: 'v' })).id
})
afterAll(() => db.drop())

const chunk = (ordinal: number, text: string): Chunk => ({
  ordinal,
  text,
  startMs: ordinal * 1000,
  endMs: ordinal * 1000 + 999,
  speakers: ordinal % 2 ? ['Ann'] : [],
  segmentStart: ordinal * 2,
  segmentEnd: ordinal * 2 + 1,
  wordCount: 2,
})

test('languages map to the stemmer Postgres ships for them, anything else to simple', () => {
  expect(q.tsConfigForLanguage('en')).toBe('english')
  expect(q.tsConfigForLanguage('da')).toBe('danish')
  expect(q.tsConfigForLanguage('pt-BR')).toBe('portuguese')
  expect(q.tsConfigForLanguage('nb')).toBe('norwegian')
  expect(q.tsConfigForLanguage('no')).toBe('norwegian')
  expect(q.tsConfigForLanguage('DE')).toBe('german')
  for (const other of ['zh-Hans', 'ja', 'ko', 'xx', '', null]) expect(q.tsConfigForLanguage(other)).toBe('simple')
})

test('every mapped configuration exists in Postgres', async () => {
  const languages = [
    'ar',
    'ca',
    'da',
    'de',
    'el',
    'en',
    'es',
    'eu',
    'fi',
    'fr',
    'ga',
    'hi',
    'hu',
    'hy',
    'id',
    'it',
    'lt',
    'nb',
    'ne',
    'nl',
    'pt',
    'ro',
    'ru',
    'sr',
    'sv',
    'ta',
    'tr',
    'yi',
  ]
  const configs = [...new Set(languages.map(q.tsConfigForLanguage))]
  const rows = await db.sql<{ cfgname: string }[]>`select cfgname from pg_ts_config where cfgname = any(${configs}::text[])`
  expect(rows.map((r) => r.cfgname).sort()).toEqual(configs.sort())
})

test('chunks are written with their config and ids come back in input order, across batches', async () => {
  const chunks = Array.from({ length: 1203 }, (_, i) => chunk(i, `passage number ${i}`)).reverse()
  const ids = await db.sql.begin((tx) => q.insertChunks(tx, videoId, collectionId, 'english', chunks))
  expect(ids).toHaveLength(1203)
  const rows = await db.sql<{ id: string; ordinal: number; tsConfig: string; speakers: string[]; tsv: string }[]>`
    select id, ordinal, ts_config::text as ts_config, speakers, tsv::text as tsv from chunks where id = any(${ids.slice(0, 2).map(String)}::bigint[]) order by ordinal desc`
  expect(rows.map((r) => Number(r.id))).toEqual(ids.slice(0, 2))
  expect(rows[0]).toMatchObject({ ordinal: 1202, tsConfig: 'english', speakers: [] })
  expect(rows[1]!.speakers).toEqual(['Ann'])
  expect(rows[0]!.tsv).toContain("'passag'")
  await q.deleteVideoChunks(db.sql, videoId)
})

test('embeddings are upserted, zero vectors refused, and old models removed', async () => {
  const [a, b, c] = await q.insertChunks(db.sql, videoId, collectionId, 'simple', [chunk(0, 'a'), chunk(1, 'b'), chunk(2, 'c')])
  const row = (chunkId: number, model: string, embedding: number[]) => ({ chunkId, model, collectionId, embedding })
  await expect(q.insertChunkEmbeddings(db.sql, [row(a!, 'm1', [0, 0, 0])])).rejects.toThrow(/zero vector/)
  await expect(q.insertChunkEmbeddings(db.sql, [row(a!, 'm1', [1, Number.NaN, 0])])).rejects.toThrow(/finite/)
  await q.insertChunkEmbeddings(db.sql, [row(a!, 'm1', [1, 0, 0]), row(b!, 'm1', [0, 1, 0]), row(a!, 'm2', [1e-7, 0.5, 2])])
  await q.insertChunkEmbeddings(db.sql, [row(a!, 'm1', [0, 0, 1])])
  const stored = await db.sql<
    { model: string; embedding: string }[]
  >`select model, embedding::text as embedding from chunk_embeddings where chunk_id = ${a!} order by model`
  expect([...stored]).toEqual([
    { model: 'm1', embedding: '[0,0,1]' },
    { model: 'm2', embedding: '[1e-07,0.5,2]' },
  ])

  expect(await q.chunksMissingEmbedding(db.sql, collectionId, 'm1', 10)).toEqual([{ chunkId: c!, text: 'c' }])
  expect(await q.chunksMissingEmbedding(db.sql, collectionId, 'm2', 1)).toEqual([{ chunkId: b!, text: 'b' }])
  expect(await q.chunksMissingEmbedding(db.sql, collectionId, 'm2', 10, b!)).toEqual([{ chunkId: c!, text: 'c' }])
  expect(await q.countEmbeddedChunks(db.sql, 'm1', [collectionId])).toBe(2)

  expect(await q.deleteEmbeddingsOfOtherModels(db.sql, collectionId, 'm2')).toBe(2)
  expect(await q.countEmbeddedChunks(db.sql, 'm1', [collectionId])).toBe(0)
  await q.deleteVideoChunks(db.sql, videoId)
  expect(await q.countEmbeddedChunks(db.sql, 'm2', [collectionId])).toBe(0)
})

test('a question is parsed once per text search configuration the collection uses', async () => {
  await q.insertChunks(db.sql, videoId, collectionId, 'danish', [chunk(0, 'husene')])
  expect(await q.getTextSearchQueries(db.sql, [collectionId], 'de grønne huse')).toEqual([
    { tsConfig: 'danish', tsQuery: "'grøn' & 'hus'" },
  ])
  expect(await q.getTextSearchQueries(db.sql, [collectionId], 'og i de')).toEqual([{ tsConfig: 'danish', tsQuery: '' }])
  await q.deleteVideoChunks(db.sql, videoId)
})
