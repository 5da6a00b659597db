// Chooses the search page's relevance floor (server/retrieval/relevanceFloor.ts)
// on real transcripts. Two collections, the product's chunks and embeddings:
//   - QMSum: the 35 test meetings as videos of one collection; its "choose"
//     half's queries are on-topic questions with gold spans;
//   - talks: the long real transcripts of ../shared/datasets/transcripts; the
//     same QMSum queries asked of it are off-topic (no passage answers them).
// Each query is ranked once (rankedLists + the product's fusion, 50 candidates
// per method) and every floor of the grid is applied to that ranking, then
// cut to the page's k. A good floor keeps R@k on-topic and leaves off-topic
// questions few hits (ideally none). Figures for the report half are printed
// too, to check the choice on queries it was not made on.
//
//   bun run benchmarks/retrieval-qmsum/relevanceFloor.ts [--no-results]
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { insertCollection } from '../../server/collections/sql.ts'
import { loadConfig } from '../../server/platform/config.ts'
import type { Sql } from '../../server/platform/db.ts'
import { chunkSegments } from '../../server/retrieval/chunkSegments.ts'
import { ensureEmbeddingIndex } from '../../server/retrieval/embeddingIndex.ts'
import { configuredEmbedder } from '../../server/retrieval/embeddingProviders.ts'
import { fuse, fusionFor, type FusedRank } from '../../server/retrieval/fusion.ts'
import { rankedLists, type RankedLists } from '../../server/retrieval/hybridSearch.ts'
import { aboveRelevanceFloor, MAX_VECTOR_ONLY_DISTANCE, MIN_TEXT_SHARE } from '../../server/retrieval/relevanceFloor.ts'
import { insertChunkEmbeddings, insertChunks, isZeroVector } from '../../server/retrieval/sql.ts'
import type { EmbeddingProvider } from '../../server/retrieval/types.ts'
import { insertVideo, replaceSegments } from '../../server/videos/sql.ts'
import { decodeTranscript, detectFormat, parseTranscript } from '../../server/videos/transcripts/parseTranscript.ts'
import { printMachine } from '../machine.ts'
import { fmt, markdownTable } from '../stats.ts'
import { updateResults } from '../updateResults.ts'
import { isRelevant, OTHER_MEETING, type ChunkRange } from './evaluate.ts'
import { loadMeeting } from './loadMeeting.ts'
import { openDatabase } from './openDatabase.ts'
import { loadQmsum, type TurnSpan } from './qmsum.ts'
import { splitMeetings } from './split.ts'

/** Hits the search page asks for. */
const K = 20
const CANDIDATES = 50
const TEXT_SHARES = [0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12]
const DISTANCES = [Infinity, 0.85, 0.8]
const TRANSCRIPTS = join(import.meta.dir, '../../../shared/datasets/transcripts')

type Ranked = { lists: RankedLists; fused: FusedRank[] }
type OnTopic = Ranked & { spans: TurnSpan[]; rangeOf: Map<number, ChunkRange> }

async function loadTalks(sql: Sql, embedder: EmbeddingProvider, userId: string): Promise<{ collectionId: string; files: string[] }> {
  const collectionId = await insertCollection(sql, userId, 'Talks', '')
  // The long talks only: the small caption samples are a few lines each.
  const files = readdirSync(TRANSCRIPTS).filter((f) => /\.(vtt|srt|sbv)$/.test(f) && !f.startsWith('exoplayer') && !f.startsWith('videojs'))
  for (const file of files) {
    const bytes = readFileSync(join(TRANSCRIPTS, file))
    const segments = parseTranscript(detectFormat(basename(file), null, bytes), decodeTranscript(bytes))
    const video = await insertVideo(sql, { collectionId, addedBy: userId, sourceType: 'transcript', title: file, language: 'en' })
    const chunks = chunkSegments(segments)
    const vectors = await embedder.embed(chunks.map((c) => c.text))
    await sql.begin(async (tx) => {
      await replaceSegments(tx, video.id, segments)
      const ids = await insertChunks(tx, video.id, collectionId, 'english', chunks)
      const rows = ids.flatMap((chunkId, i) =>
        isZeroVector(vectors[i]!) ? [] : [{ chunkId, model: embedder.name, collectionId, embedding: vectors[i]! }],
      )
      await insertChunkEmbeddings(tx, rows)
      await tx`update collections set embedding_model = ${embedder.name} where id = ${collectionId}`
    })
  }
  return { collectionId, files }
}

async function rank(sql: Sql, embedder: EmbeddingProvider, collectionId: string, query: string): Promise<Ranked> {
  const options = {
    collectionIds: [collectionId],
    query,
    k: K,
    embedder,
    model: embedder.name,
    dimensions: embedder.dimensions,
    publicUrl: 'http://localhost',
  }
  const lists = await rankedLists(sql, options, CANDIDATES)
  const fused = fuse(
    fusionFor(embedder.lexical === true),
    lists.vector?.map((m) => m.chunkId) ?? [],
    lists.text?.matches.map((m) => m.chunkId) ?? [],
  )
  return { lists, fused }
}

function floored(r: Ranked, model: string, textShare: number, maxDistance: number): FusedRank[] {
  const input = {
    textShares: r.lists.text?.matches.map((m) => m.share) ?? [],
    vectorDistances: r.lists.vector?.map((m) => m.distance) ?? [],
    model,
  }
  return aboveRelevanceFloor(r.fused, input, { textShare, maxDistance }).slice(0, K)
}

function gridTable(onTopic: OnTopic[], offTopic: Ranked[], model: string): string {
  const rows: (string | number)[][] = []
  for (const share of TEXT_SHARES)
    for (const distance of DISTANCES) {
      let found = 0
      let kept = 0
      let relevantKept = 0
      for (const q of onTopic) {
        const hits = floored(q, model, share, distance).map((f) => q.rangeOf.get(f.chunkId) ?? OTHER_MEETING)
        kept += hits.length
        const relevant = hits.filter((h) => isRelevant(h, q.spans)).length
        relevantKept += relevant
        if (relevant > 0) found++
      }
      const off = offTopic.map((q) => floored(q, model, share, distance).length)
      const chosen = share === MIN_TEXT_SHARE && distance === MAX_VECTOR_ONLY_DISTANCE[model] ? ' **(chosen)**' : ''
      rows.push([
        `${share}${chosen}`,
        distance === Infinity ? 'none' : distance,
        fmt((100 * found) / onTopic.length),
        fmt(kept / onTopic.length),
        fmt((100 * relevantKept) / Math.max(1, kept)),
        fmt(off.reduce((a, b) => a + b, 0) / off.length),
        fmt((100 * off.filter((n) => n === 0).length) / off.length),
      ])
    }
  return markdownTable(
    [
      'text share of the question ≥',
      'vector distance ≤',
      `on-topic R@${K} %`,
      'on-topic hits / query',
      'on-topic precision %',
      'off-topic hits / query',
      'off-topic "Nothing matched" %',
    ],
    rows,
  )
}

/** Distances of the hits the vectors alone brought in, relevant or not (on-topic), and off-topic. */
function distanceTable(onTopic: OnTopic[], offTopic: Ranked[]): string {
  const vectorOnly = (r: Ranked) => r.fused.slice(0, K).filter((f) => f.ranks[1] === null && f.ranks[0] !== null)
  const distance = (r: Ranked, f: FusedRank) => r.lists.vector![f.ranks[0]! - 1]!.distance
  const relevant: number[] = []
  const other: number[] = []
  for (const q of onTopic)
    for (const f of vectorOnly(q)) (isRelevant(q.rangeOf.get(f.chunkId) ?? OTHER_MEETING, q.spans) ? relevant : other).push(distance(q, f))
  const off = offTopic.flatMap((q) => vectorOnly(q).map((f) => distance(q, f)))
  const quantiles = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b)
    const at = (p: number) => (s.length ? fmt(s[Math.min(s.length - 1, Math.floor(p * s.length))]!, 3) : '–')
    return [s.length, at(0.1), at(0.5), at(0.9)]
  }
  // The same for the full-text matches: the share of the question each covers.
  const textHits = (r: Ranked) => r.fused.slice(0, K).filter((f) => f.ranks[1] !== null)
  const share = (r: Ranked, f: FusedRank) => r.lists.text!.matches[f.ranks[1]! - 1]!.share
  const shares = { relevant: [] as number[], other: [] as number[] }
  for (const q of onTopic)
    for (const f of textHits(q))
      shares[isRelevant(q.rangeOf.get(f.chunkId) ?? OTHER_MEETING, q.spans) ? 'relevant' : 'other'].push(share(q, f))
  const offShares = offTopic.flatMap((q) => textHits(q).map((f) => share(q, f)))
  return [
    markdownTable(
      ['vector-only hits in the top k', 'n', 'p10 distance', 'median', 'p90'],
      [
        ['on-topic, relevant', ...quantiles(relevant)],
        ['on-topic, not relevant', ...quantiles(other)],
        ['off-topic', ...quantiles(off)],
      ],
    ),
    '',
    markdownTable(
      ['full-text hits in the top k', 'n', 'p10 share', 'median', 'p90'],
      [
        ['on-topic, relevant', ...quantiles(shares.relevant)],
        ['on-topic, not relevant', ...quantiles(shares.other)],
        ['off-topic', ...quantiles(offShares)],
      ],
    ),
  ].join('\n')
}

if (import.meta.main) {
  const started = performance.now()
  const embedder = configuredEmbedder(loadConfig())
  const meetings = loadQmsum()
  const { sql, cleanup } = await openDatabase()
  try {
    const machine = await printMachine(sql)
    const [user] = await sql<
      { id: string }[]
    >`insert into users (email) values (${`floor-${crypto.randomUUID()}@bench.invalid`}) returning id`
    await ensureEmbeddingIndex(sql, embedder.name, embedder.dimensions)
    const qmsumId = await insertCollection(sql, user!.id, 'QMSum', '')
    const loaded = new Map<string, Map<number, ChunkRange>>()
    for (const meeting of meetings) {
      const l = await loadMeeting(sql, {
        embedder,
        userId: user!.id,
        collectionId: qmsumId,
        meeting,
        language: 'en',
        maxDurationMs: 120_000,
      })
      loaded.set(meeting.id, new Map(l.ids.map((id, i) => [id, l.ranges[i]!])))
    }
    const talks = await loadTalks(sql, embedder, user!.id)
    await sql`analyze`
    const body: string[] = [
      `Collections: QMSum (35 meetings, one collection) and ${talks.files.length} real talks (${talks.files.join(', ')}). ` +
        `Embedder ${embedder.name}; fusion \`${fusionFor(embedder.lexical === true)}\`; k = ${K} (the search page), ${CANDIDATES} candidates per method. ` +
        `On-topic: QMSum queries searched in the QMSum collection, relevant = overlaps a gold span. Off-topic: the same queries searched in the talks.`,
    ]
    for (const split of ['choose', 'report'] as const) {
      const asked = splitMeetings(meetings, split)
      const onTopic: OnTopic[] = []
      const offTopic: Ranked[] = []
      for (const m of asked)
        for (const { query, spans } of m.queries) {
          // Chunks of other meetings are never relevant: only this meeting's ranges.
          onTopic.push({ ...(await rank(sql, embedder, qmsumId, query)), spans, rangeOf: loaded.get(m.id)! })
          offTopic.push(await rank(sql, embedder, talks.collectionId, query))
        }
      body.push(
        `\n### ${split} half (${asked.length} meetings, ${onTopic.length} queries)${split === 'choose' ? ': the floor was chosen here' : ': checked here'}\n`,
        gridTable(onTopic, offTopic, embedder.name),
        '',
        distanceTable(onTopic, offTopic),
      )
    }
    const load1 = (await Bun.file('/proc/loadavg').text()).split(' ')[0]
    body.push(`\nBox load (1 min) at the end of the run: ${load1}.`)
    console.log(body.join('\n'))
    updateResults('relevance floor', machine, body.join('\n'), { durationSeconds: (performance.now() - started) / 1000 })
    await sql`delete from users where id = ${user!.id}`
  } finally {
    await cleanup()
  }
}
