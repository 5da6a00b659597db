// Full-text reads of hybrid search: the question parsed per text search
// configuration, and the matching passages ranked by rarity-weighted ts_rank_cd.
import type { Db } from '../platform/db.ts'

/**
 * The text search configurations the collections' chunks use, each with the
 * question parsed by it (websearch syntax: quotes, `or`, `-word`). One chunk
 * per video is enough to look at: a video's chunks share one configuration.
 */
export async function getTextSearchQueries(
  db: Db,
  collectionIds: readonly string[],
  query: string,
): Promise<{ tsConfig: string; tsQuery: string }[]> {
  return db<{ tsConfig: string; tsQuery: string }[]>`
    select cfg.ts_config::text as ts_config, websearch_to_tsquery(cfg.ts_config, ${query})::text as ts_query
    from (
      select distinct c.ts_config
      from videos v
      cross join lateral (select ts_config from chunks where video_id = v.id order by ordinal limit 1) c
      where v.collection_id = any(${collectionIds as string[]}::uuid[])
    ) cfg
    order by 1`
}

export type TextQuery = {
  tsConfig: string
  /** What a passage must match: any of the terms, none of the exclusions. */
  tsQuery: string
  /** The question's terms (lexemes or phrases), each weighted by its rarity. */
  terms: string[]
  /** `!term` exclusions every match must satisfy. */
  negative: string[]
}
export type TextMatch = {
  chunkId: number
  score: number
  /** The score as a share of the question's whole IDF weight (0–1): how much of the question the passage covers. */
  share: number
}

/**
 * Chunks matching the question, best first. Each configuration gets its own
 * `ts_config = … and tsv @@ …` arm, so the GIN index on tsv answers each arm
 * (a tsquery parsed per row could not use it).
 *
 * ts_rank_cd alone has no notion of rarity: "discuss" in a meeting counts as
 * much as "fanout". So each term's ts_rank_cd (normalised by rank/(rank+1),
 * which saturates repeated words as BM25 does) is weighted by BM25's inverse
 * document frequency among the searched chunks, counted through the same GIN
 * index. On QMSum this lifts full-text MRR@10 from 0.56 to 0.69, level with
 * BM25 (benchmarks/retrieval-qmsum/README.md).
 */
// Past this many matches a term counts as common: counting further would cost
// more than the precision it buys (BM25's IDF is nearly flat out there).
export const DF_CAP = 5000
// In a large search space, terms found in more than half the passages only
// rank; they do not pull passages in (every passage would match).
const COMMON_SHARE = 0.5
const LARGE_SPACE = 2000
const SMALL_SPACE = 20_000

type SearchSpace = { collectionIds: readonly string[]; videoIds?: readonly string[] }

// A passage's tsvector is stored compressed or out of line (TOAST: with the
// passage text the row outgrows 2 kB), and every function given the column
// unpacks it again: a nine-term question's ts_rank_cd calls (and @@ in the
// document-frequency count) unpacked it nine times a passage. Concatenating
// the empty vector, fenced by OFFSET 0 so it is worked out once a row rather
// than inlined into each use, unpacks it once. On 64 to 5,000 passages the
// ranked search took half to a third of its time, the count a half to a
// quarter (benchmarks/chat-sse/README.md). Matching stays on the column
// itself, so the GIN index still answers it.
const detoasted = (db: Db, alias: string) => db`${db(alias)}.tsv || ''::tsvector as tsv`

// A conversation's chosen videos narrow the search space: IDF is counted among them too.
const ofVideos = (db: Db, p: SearchSpace, alias: string) =>
  p.videoIds?.length ? db`and ${db(alias)}.video_id = any(${p.videoIds as string[]}::uuid[])` : db``

/**
 * Passages in the search space (BM25's N). Needs no parsed question, so a
 * caller in a transaction sends it with the parse: one round trip for both.
 */
export async function countSearchSpace(db: Db, p: SearchSpace): Promise<number> {
  const [searched] = await db<
    { n: number }[]
  >`select count(*)::float8 as n from chunks s where s.collection_id = any(${p.collectionIds as string[]}::uuid[]) ${ofVideos(db, p, 's')}`
  return searched?.n ?? 0
}

export async function searchChunksByText(
  db: Db,
  p: SearchSpace & {
    queries: readonly TextQuery[]
    limit: number
    /** countSearchSpace's answer, when the caller has it. */
    searched?: number
  },
): Promise<TextMatch[]> {
  const ids = p.collectionIds as string[]
  const videos = (alias: string) => ofVideos(db, p, alias)
  const configs = p.queries.flatMap((q) => q.terms.map(() => q.tsConfig))
  const terms = p.queries.flatMap((q) => q.terms)
  // Document frequencies, counted through the GIN index and capped, so a common
  // word in a large collection costs a bounded scan.
  const n = p.searched ?? (await countSearchSpace(db, p))
  // Small search spaces: one pass over their own passages (through the
  // collection index) beats asking the table-wide GIN index about common words.
  const dfs =
    n <= SMALL_SPACE
      ? await db<{ i: number; df: number }[]>`
          select u.i::int as i, count(*) filter (where d.tsv @@ u.term)::float8 as df
          from (select c.ts_config, ${detoasted(db, 'c')} from chunks c where c.collection_id = any(${ids}::uuid[]) ${videos('c')} offset 0) d
          cross join lateral (
            select * from unnest(${configs}::regconfig[], ${terms}::tsquery[]) with ordinality as t(cfg, term, i) where t.cfg = d.ts_config
          ) u
          group by u.i`
      : await db<{ i: number; df: number }[]>`
          select u.i::int as i, (select count(*) from (
                    select 1 from chunks d where d.collection_id = any(${ids}::uuid[]) ${videos('d')} and d.ts_config = u.cfg and d.tsv @@ u.term limit ${DF_CAP}
                  ) x)::float8 as df
          from unnest(${configs}::regconfig[], ${terms}::tsquery[]) with ordinality as u(cfg, term, i)
          order by u.i`
  // By term number: a term of a configuration no passage uses has no row.
  const dfOf = new Map(dfs.map((r) => [r.i, r.df]))
  const weighted = terms.map((term, i) => {
    const df = dfOf.get(i + 1) ?? 0
    return { cfg: configs[i]!, term, df, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) }
  })
  const common = (w: { df: number }) => w.df >= DF_CAP || (n > LARGE_SPACE && w.df / n > COMMON_SHARE)
  const matches = p.queries
    .map((q) => {
      const mine = weighted.filter((w) => w.cfg === q.tsConfig && w.df > 0)
      if (mine.length === 0) return null
      const rare = mine.filter((w) => !common(w))
      // Only common words: the rarest of them still decides what matches.
      const pick = rare.length ? rare : [mine.reduce((a, b) => (b.df < a.df ? b : a))]
      const any = pick.length === 1 ? pick[0]!.term : `(${pick.map((w) => w.term).join(' | ')})`
      return db`(c.ts_config = ${q.tsConfig}::regconfig and c.tsv @@ ${[any, ...q.negative].join(' & ')}::tsquery)`
    })
    .filter((m) => m !== null)
  if (matches.length === 0) return []
  const where = matches.reduce((a, b) => db`${a} or ${b}`)
  // A small search space is read through the collection index and matched row
  // by row. Left to itself the planner ANDs that index with the table-wide GIN
  // index, whose posting lists for common words span the whole table: ten
  // times slower for a collection of 1,000 passages in a table of 100,000.
  // (OFFSET 0 keeps the match condition out of the scan.)
  const fence = n <= SMALL_SPACE ? db`offset 0` : db``
  const rows = await db<{ chunkId: string; score: number; share: number | null }[]>`
    with weights as materialized (
      select * from unnest(${weighted.map((w) => w.cfg)}::regconfig[], ${weighted.map((w) => w.term)}::tsquery[], ${weighted.map((w) => w.idf)}::float8[]) as w(cfg, term, idf)
    )
    select c.id as chunk_id, r.score, r.score / nullif(r.idf, 0) as share
    from (select id, tsv, ts_config from chunks k where k.collection_id = any(${ids}::uuid[]) ${videos('k')} ${fence}) c
    cross join lateral (select ${detoasted(db, 'c')} offset 0) d
    cross join lateral (select sum(w.idf * ts_rank_cd(d.tsv, w.term, 32)) as score, sum(w.idf) as idf from weights w where w.cfg = c.ts_config) r
    where ${where}
    order by r.score desc, c.id
    limit ${p.limit}`
  return rows.map((r) => ({ chunkId: Number(r.chunkId), score: r.score, share: r.share ?? 0 }))
}
