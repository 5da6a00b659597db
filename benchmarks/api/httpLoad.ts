// HTTP throughput of the api: an authenticated JSON read (GET /api/collections
// with a bearer token: JWT check, session lookup, one query) against two
// baselines, each its own process, loaded by autocannon (a separate node
// process) at 10 and 100 connections: a bare Bun.serve hello-world (the
// machine's HTTP ceiling) and a bare Bun.serve running the endpoint's own SQL
// over the same driver and pool size (the endpoint's physical floor: what is
// left above it is framework, auth and session). The ratios are the figures
// to compare across machines.
//
//   bun run benchmarks/api/httpLoad.ts [--seconds=6] [--no-results]
import { insertCollection } from '../../server/collections/sql.ts'
import { autocannon, type Load } from '../autocannon.ts'
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, startApi, startChild, type Child } from '../processes.ts'
import { fmt, markdownTable } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const SECONDS = arg('seconds', 6)
const CONNECTIONS = [10, 100]
const COLLECTIONS = 5
const started = performance.now()
const db = await createBenchDatabase()
const children: Child[] = []
try {
  const machine = await printMachine(db.sql)
  const config = apiConfig(db.url)
  const user = await makeUser(db.sql, config, 'bench')
  for (let i = 0; i < COLLECTIONS; i++)
    await insertCollection(db.sql, user.id, `Collection ${i + 1}`, 'A collection for the HTTP benchmark.')

  const api = await startApi(db.url)
  children.push(api)
  const bare = await startChild('benchmarks/api/bareServer.ts', {}, { readyPath: '/' })
  children.push(bare)
  const bareSql = await startChild(
    'benchmarks/api/bareSqlServer.ts',
    { DATABASE_URL: db.url, DB_POOL_MAX: '10', BENCH_USER_ID: user.id },
    { readyPath: '/' },
  )
  children.push(bareSql)

  const check = await fetch(`${api.url}/api/collections`, { headers: user.bearer })
  const body = (await check.json()) as unknown[]
  if (!check.ok || body.length !== COLLECTIONS)
    throw new Error(`GET /api/collections answered ${check.status} with ${JSON.stringify(body).slice(0, 200)}`)
  // The floor must answer the very same body, or the comparison is not like for like.
  const floorBody = await (await fetch(`${bareSql.url}/`)).text()
  if (floorBody !== JSON.stringify(body))
    throw new Error(`the bare SQL server answers differently:\n${floorBody.slice(0, 300)}\n${JSON.stringify(body).slice(0, 300)}`)
  const bytes = JSON.stringify(body).length
  console.log(`GET /api/collections: ${COLLECTIONS} collections, ${bytes} bytes of JSON; ${SECONDS} s per run after a 2 s warm-up`)

  const targets = [
    { name: 'bare Bun.serve hello-world', url: `${bare.url}/`, headers: {} },
    { name: 'bare Bun.serve + the same SQL', url: `${bareSql.url}/`, headers: {} },
    { name: 'api GET /api/collections (bearer)', url: `${api.url}/api/collections`, headers: user.bearer },
  ]
  const rows: (string | number)[][] = []
  const byKey = new Map<string, Load>()
  for (const c of CONNECTIONS) {
    for (const t of targets) {
      await autocannon(t.url, c, 2, t.headers)
      const load = await autocannon(t.url, c, SECONDS, t.headers)
      byKey.set(`${t.name}/${c}`, load)
      console.log(
        `${t.name}, ${c} connections: ${fmt(load.rps, 0)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, ${load.requests} requests, ${load.errors} errors, ${load.non2xx} non-2xx`,
      )
    }
    const base = byKey.get(`${targets[0]!.name}/${c}`)!
    const floor = byKey.get(`${targets[1]!.name}/${c}`)!
    const share = (l: Load, of: Load) => `${fmt((100 * l.rps) / of.rps, 1)} %`
    for (const t of targets) {
      const l = byKey.get(`${t.name}/${c}`)!
      rows.push([
        t.name,
        c,
        fmt(l.rps, 0),
        fmt(l.p50, 0),
        fmt(l.p99, 0),
        l.errors + l.non2xx,
        share(l, base),
        t === targets[0] ? '' : share(l, floor),
      ])
    }
  }
  const table = markdownTable(
    ['target', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors + non-2xx', 'req/s / hello-world', 'req/s / bare + same SQL'],
    rows,
  )
  const rssMiB = api.rssKiB() / 1024
  const md = `${table}\n\nautocannon 9.0.0 (one node process) on the same 2 cores as the server; ${SECONDS} s per row after a 2 s warm-up. Response: ${COLLECTIONS} collections, ${bytes} bytes of JSON. api RSS after the runs: ${fmt(rssMiB, 0)} MiB (DB_POOL_MAX 10).`
  console.log(`\n${md}`)
  updateResults('api', machine, md, { durationSeconds: (performance.now() - started) / 1000 })
} finally {
  for (const c of children) await c.stop()
  await db.drop()
}
