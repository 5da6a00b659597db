// What one round trip to Postgres costs the api process in CPU, apart from
// any work of ours: postgres.js sends `select $1::int` 20,000 times, one at a
// time (the client waits for each answer, as sequential statements of a
// request do), 10 at a time on one connection (pipelined: one socket write and
// one wake-up for ten), and 10 at a time over a pool of 10; over TCP to
// 127.0.0.1 and over the cluster's unix socket. CPU is this process's user +
// system time per query (median of 3 rounds per case, cases alternated). The
// profile's largest item (`writeBuffered`, Bun's native socket write, about a
// quarter of the api's CPU per question) is this cost.
//
//   bun run benchmarks/chat-sse/roundTripCost.ts [--queries=20000] [--no-results]
import postgres from 'postgres'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { fmt, markdownTable, quantile } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const QUERIES = Number(option('queries') ?? 20_000)
const ROUNDS = 3

const started = performance.now()
const db = await createBenchDatabase()
try {
  const machine = await printMachine(db.sql)
  const url = new URL(db.url)
  const [dirs] = await db.sql<{ dir: string }[]>`select setting as dir from pg_settings where name = 'unix_socket_directories'`
  const socketDir = dirs!.dir.split(',')[0]!.trim()
  const transports = [
    { name: 'TCP 127.0.0.1', options: {} },
    { name: 'unix socket', options: { path: `${socketDir}/.s.PGSQL.${url.port}` } },
  ]
  const shapes = [
    { name: 'one at a time', inFlight: 1, pool: 1 },
    { name: '10 at a time, one connection (pipelined)', inFlight: 10, pool: 1 },
    { name: '10 at a time, pool of 10', inFlight: 10, pool: 10 },
  ]
  const cpuUs = () => {
    const { user, system } = process.cpuUsage()
    return user + system
  }
  const cases = transports.flatMap((t) => shapes.map((s) => ({ transport: t, shape: s, cpu: [] as number[], wall: [] as number[] })))
  for (let round = 0; round < ROUNDS; round++)
    for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
      const sql = postgres(db.url, { ...c.transport.options, max: c.shape.pool, onnotice: () => {} })
      await Promise.all(Array.from({ length: c.shape.pool }, () => sql`select 1`))
      const cpu0 = cpuUs()
      const wall0 = performance.now()
      for (let i = 0; i < QUERIES; i += c.shape.inFlight)
        await Promise.all(Array.from({ length: c.shape.inFlight }, (_, k) => sql`select ${i + k}::int as x`))
      c.cpu.push((cpuUs() - cpu0) / QUERIES)
      c.wall.push(((performance.now() - wall0) * 1000) / QUERIES)
      await sql.end()
    }
  const median = (xs: number[]) => quantile(xs, 0.5)
  const rows = cases.map((c) => [c.transport.name, c.shape.name, fmt(median(c.cpu), 1), fmt(median(c.wall), 1)])
  const table = markdownTable(['transport', 'queries in flight', 'api CPU µs per query', 'wall µs per query'], rows)
  const md = [
    table,
    '',
    `\`select $1::int\` ${QUERIES} times per case through postgres.js from one Bun process, medians of ${ROUNDS} rounds, cases alternated. CPU is the client process's user + system time: what the api pays per round trip, apart from any work of its own.`,
  ].join('\n')
  console.log(`\n${md}`)
  updateResults('postgres round trip', machine, md, { durationSeconds: (performance.now() - started) / 1000 })
} finally {
  await db.drop()
}
