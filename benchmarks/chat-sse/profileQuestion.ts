// Where the api's CPU goes for one question, end to end: the api runs under
// `bun --cpu-prof`, answers --questions questions (each in a new conversation,
// --concurrency at a time) from the Anthropic emulator, and the profile is
// split by our capability files and by library. CPU per question is also
// measured from /proc (the api's utime + stime over the run / questions).
//
//   bun run benchmarks/chat-sse/profileQuestion.ts [--questions=300] [--concurrency=10] [--no-results]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { cpuSeconds, postmasterPid } from '../processStats.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, REPO, startAnthropicEmulator, startApi, type Child } from '../processes.ts'
import { LONG_TRANSCRIPTS, seedCollection } from '../seedCollection.ts'
import { fmt, markdownTable } from '../stats.ts'
import { updateResults } from '../updateResults.ts'
import { askStream, failureSummary, type StreamResult } from './askStream.ts'
import { splitProfile, top } from './cpuProfile.ts'

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const QUESTIONS = Number(option('questions', '300'))
const CONCURRENCY = Number(option('concurrency', '10'))
const ANSWER =
  'DiskCache stores Python objects in SQLite files on disk [1], so a cache survives restarts and can be shared by several processes on one machine. It is often faster than a network cache such as Redis for local reads [2].'
const QUESTION = 'Why would I use diskcache instead of Redis for caching in a Python web app?'

type Writes = { ins: number; upd: number; del: number; xact: number }

async function tableWrites(sql: import('postgres').Sql): Promise<Map<string, Writes>> {
  const rows = await sql<{ relname: string; ins: number; upd: number; del: number }[]>`
    select relname, n_tup_ins::int as ins, n_tup_upd::int as upd, n_tup_del::int as del from pg_stat_user_tables`
  const [db] = await sql<{ xact: number }[]>`select xact_commit::int as xact from pg_stat_database where datname = current_database()`
  const map = new Map<string, Writes>(rows.map((r) => [r.relname, { ...r, xact: 0 }]))
  map.set('(database)', { ins: 0, upd: 0, del: 0, xact: db!.xact })
  return map
}

const METRICS_TOKEN = 'profile-metrics-token-0123456789'

/** Statements the api sent through its sql tag so far (the query-duration histogram's count). */
async function statementsSent(apiUrl: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()
  let n = 0
  for (const line of text.split('\n')) if (line.startsWith('db_client_operation_duration_count')) n += Number(line.split(' ').at(-1))
  return n
}

/**
 * Statements Postgres ran for this database, from pg_stat_statements (counts
 * do not depend on load; BEGIN/COMMIT included). The cluster loads it with
 * tracking off (scripts/pg-local.sh); it is turned on for this database only.
 * Null when the cluster was started without it (restart it: `bash scripts/pg-local.sh stop; make db-start`).
 */
async function trackStatements(sql: import('postgres').Sql): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_settings where name = 'pg_stat_statements.track'`
  if (!row!.n) return false
  await sql`create extension if not exists pg_stat_statements`
  await sql.unsafe(
    `alter database "${(await sql<{ db: string }[]>`select current_database() as db`)[0]!.db}" set pg_stat_statements.track = 'top'`,
  )
  return true
}

type StatementCount = { query: string; calls: number; ms: number }

/** This database's statements so far, minus the benchmark's own reads of the statistics and pg-boss's polling. */
async function statementCounts(sql: import('postgres').Sql): Promise<Map<string, { calls: number; ms: number }>> {
  const rows = await sql<StatementCount[]>`
    select regexp_replace(query, '[[:space:]]+', ' ', 'g') as query, sum(calls)::int as calls, sum(total_exec_time)::float8 as ms from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())
      and query not like '%pg_stat%' and query not like '%pgboss%' and query not like '%pg_settings%'
    group by 1`
  return new Map(rows.map((r) => [r.query, { calls: r.calls, ms: r.ms }]))
}

/** The box is shared: CPU per question barely moves with load, but say what it was. */
async function loadAverage(): Promise<string> {
  return (await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' / ')
}

const startedAll = performance.now()
const loadBefore = await loadAverage()
const db = await createBenchDatabase()
const profileDir = mkdtempSync(join(tmpdir(), 'kt-profile-'))
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  const seeded = await seedCollection(db.sql, config, user.id, LONG_TRANSCRIPTS[3]!)
  const ids = (
    await db.sql<{ id: string }[]>`
    insert into conversations (user_id, collection_id, title)
    select ${user.id}, ${seeded.collectionId}, 'Profile ' || g from generate_series(1, ${QUESTIONS + CONCURRENCY}) g
    returning id`
  ).map((r) => r.id)
  const tracked = await trackStatements(db.sql)
  const emulator = await startAnthropicEmulator(['--ttft-ms', '50', '--tokens-per-second', '200', '--answer', ANSWER])
  children.push(emulator)
  const spawnedAt = performance.now()
  const api = await startApi(db.url, { ANTHROPIC_API_KEY: 'benchmark', ANTHROPIC_BASE_URL: emulator.url, METRICS_TOKEN }, [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
  ])
  children.push(api)
  const pgPid = await postmasterPid(db.sql)

  const askAll = async (conversations: string[]) => {
    const results: StreamResult[] = []
    let next = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < conversations.length) results.push(await askStream(api.url, user.bearer, conversations[next++]!, QUESTION, 60_000))
      }),
    )
    return results
  }
  // Warm-up (JIT, pools, the embedder's first load) outside the measured CPU.
  await askAll(ids.splice(0, CONCURRENCY))
  const tables0 = await tableWrites(db.sql)
  const measuredFromMs = performance.now() - spawnedAt
  const apiCpu0 = cpuSeconds([api.pid])
  const pgCpu0 = cpuSeconds([pgPid], true)
  const statements0 = await statementsSent(api.url)
  const counted0 = tracked ? await statementCounts(db.sql) : null
  const results = await askAll(ids)
  const measuredToMs = performance.now() - spawnedAt
  const apiCpuMs = ((cpuSeconds([api.pid]) - apiCpu0) * 1000) / QUESTIONS
  const pgCpuMs = ((cpuSeconds([pgPid], true) - pgCpu0) * 1000) / QUESTIONS
  const failed = failureSummary(results)
  if (failed) throw new Error(`questions failed: ${failed}`)
  // Backends report their table counters when idle, at most once a second.
  await Bun.sleep(2000)
  const tables1 = await tableWrites(db.sql)
  const writeRows = [...tables1]
    .map(([table, after]) => {
      const before = tables0.get(table) ?? { ins: 0, upd: 0, del: 0, xact: 0 }
      return [
        table,
        (after.ins - before.ins) / QUESTIONS,
        (after.upd - before.upd) / QUESTIONS,
        (after.del - before.del) / QUESTIONS,
      ] as const
    })
    .filter(([, ins, upd, del]) => ins + upd + del > 0)
    .sort((a, b) => b[1] + b[2] + b[3] - (a[1] + a[2] + a[3]))
    .map(([table, ins, upd, del]) => [table, fmt(ins, 1), fmt(upd, 1), fmt(del, 1)])
  const commits = ((tables1.get('(database)')?.xact ?? 0) - (tables0.get('(database)')?.xact ?? 0)) / QUESTIONS
  const loadAfter = await loadAverage()
  const statements = ((await statementsSent(api.url)) - statements0) / QUESTIONS
  const counted1 = counted0 ? await statementCounts(db.sql) : null
  const perStatement = counted1
    ? [...counted1]
        .map(
          ([query, now]) =>
            [
              query,
              (now.calls - (counted0!.get(query)?.calls ?? 0)) / QUESTIONS,
              (now.ms - (counted0!.get(query)?.ms ?? 0)) / QUESTIONS,
            ] as const,
        )
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
    : []
  // Each BEGIN has its COMMIT, which pg_stat_statements does not list when it comes as a prepared statement (postgres.js' sql.begin).
  const commitsPerQuestion = perStatement.filter(([query]) => /^begin\b/i.test(query)).reduce((sum, [, n]) => sum + n, 0)
  const postgresStatements = perStatement.reduce((sum, [, n]) => sum + n, 0) + commitsPerQuestion
  await api.stop()
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error('the api wrote no CPU profile')
  const split = splitProfile(join(profileDir, file), REPO, measuredFromMs, measuredToMs)
  const busy = split.totalMs - split.idleMs
  // The profile gives the shares; /proc gives the CPU they are shares of.
  const rows = top(split.byPlace, 20).map(([place, ms]) => [place, fmt((100 * ms) / busy, 1), fmt((apiCpuMs * ms) / busy, 2)])
  const fnRows = top(split.byFunction, 15).map(([fn, ms]) => [fn.replace(/\|/g, '\\|'), fmt((100 * ms) / busy, 1)])
  const md = [
    `**CPU per question: api ${fmt(apiCpuMs, 1)} ms, Postgres ${fmt(pgCpuMs, 1)} ms** (from /proc over ${QUESTIONS} questions, ${CONCURRENCY} at a time, after ${CONCURRENCY} warm-up questions; the profile leaves out start-up, warm-up and shutdown). Load average (1 / 5 / 15 min) on ${navigator.hardwareConcurrency} cores: ${loadBefore} at the start, ${loadAfter} at the end.`,
    '',
    "Where the api's CPU goes (the profile's self-time shares, attributed to the innermost frame with a source file of ours or of a package, times the CPU per question from /proc):",
    '',
    markdownTable(['place', '% of busy samples', 'ms per question'], rows),
    '',
    `Rows written per question (pg_stat_user_tables; ${fmt(commits, 1)} transactions and ${fmt(statements, 1)} statements through the api's sql tag per question, BEGIN/COMMIT of \`sql.begin\` not counted):`,
    '',
    markdownTable(
      ['table', 'inserted', 'updated', 'deleted'],
      writeRows.filter(([t]) => t !== '(database)'),
    ),
    '',
    counted1
      ? `**Statements per question: ${fmt(postgresStatements, 1)}** (pg_stat_statements, plus one COMMIT per BEGIN: it does not list postgres.js' prepared \`commit\`); those run at least once per ten questions:`
      : 'Statements per question: pg_stat_statements is not loaded in this cluster (restart it: `bash scripts/pg-local.sh stop; make db-start`).',
    '',
    ...(counted1
      ? [
          markdownTable(
            ['per question', 'executing, ms per question', 'statement (first 110 characters)'],
            perStatement
              .filter(([, n]) => n >= 0.1)
              .map(([query, n, ms]) => [fmt(n, 2), fmt(ms, 2), `\`${query.slice(0, 110).replace(/\|/g, '\\|').replace(/`/g, "'")}\``]),
          ),
          '',
        ]
      : []),
    'Hottest functions:',
    '',
    markdownTable(['function (place)', '% of busy samples'], fnRows),
    '',
    `api under \`bun --cpu-prof\` (1 ms sampling); emulator TTFT 50 ms at 200 tokens/s; one new conversation per question; collection of 1 video, ${seeded.chunks} chunks.`,
  ].join('\n')
  console.log(`\n${md}`)
  updateResults('chat-sse profile', machine, md, { durationSeconds: (performance.now() - startedAll) / 1000 })
} finally {
  for (const c of children.reverse()) await c.stop()
  await db.drop()
  rmSync(profileDir, { recursive: true, force: true })
}
