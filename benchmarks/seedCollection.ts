// A collection with one ready video made from a real transcript file by the
// product's own parser, chunker, embedder and embed job (no queue needed).
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { embed } from '../jobs/queues/embed.ts'
import { insertCollection } from '../server/collections/sql.ts'
import type { Config } from '../server/platform/config.ts'
import type { Sql } from '../server/platform/db.ts'
import { createLogger } from '../server/platform/logger.ts'
import { decodeTranscript, detectFormat, parseTranscript } from '../server/videos/transcripts/parseTranscript.ts'
import { insertVideo, replaceSegments } from '../server/videos/sql.ts'
import { makeJobContext } from '../testing/makeJobContext.ts'
import { REPO } from './processes.ts'

export const TRANSCRIPTS_DIR = join(REPO, '..', 'shared', 'datasets', 'transcripts')

/** The four long (≈ 1 h) talks of the shared dataset. */
export const LONG_TRANSCRIPTS = [
  'bornhacksubs__2021-440-eng-How_to_open_source_your_code_properly_hd.mp4.srt',
  'bornhacksubs__import-4193-eng-Brug_GDPR_til_at_tvinge_firmaer_til_at_respektere_dit_privatliv_hd.mp4.srt',
  'missing-semester__qa.sbv',
  'talkpython__534-diskcache-your-secret-python-perf-weapon.vtt',
].map((f) => join(TRANSCRIPTS_DIR, f))

export async function seedCollection(
  sql: Sql,
  config: Config,
  userId: string,
  file: string,
): Promise<{ collectionId: string; videoId: string; chunks: number }> {
  const collectionId = await insertCollection(sql, userId, 'Benchmark collection', '')
  const bytes = new Uint8Array(readFileSync(file))
  const segments = parseTranscript(detectFormat(basename(file), null, bytes), decodeTranscript(bytes))
  const video = await insertVideo(sql, { collectionId, addedBy: userId, sourceType: 'transcript', title: basename(file), language: 'en' })
  await replaceSegments(sql, video.id, segments)
  const logger = createLogger('error')
  await embed({ videoId: video.id }, makeJobContext({ sql, logger, config }, { lastAttempt: true }))
  const [row] = await sql<
    { n: number; status: string }[]
  >`select (select count(*)::int from chunks where video_id = ${video.id}) as n, status from videos where id = ${video.id}`
  if (row!.status !== 'ready' || row!.n === 0) throw new Error(`seeding ${file} left the video ${row!.status} with ${row!.n} chunks`)
  return { collectionId, videoId: video.id, chunks: row!.n }
}
