// The embedded database's wire server under concurrent pools: batches never
// interleave, transactions are isolated, a client that vanishes mid-transaction
// is rolled back.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { startPgliteWireServer, type PgliteWireServer } from './pgliteWireServer.ts'

let db: PGlite
let server: PgliteWireServer
let url: string

beforeAll(async () => {
  db = await PGlite.create()
  server = await startPgliteWireServer(db, { host: '127.0.0.1', port: 0, maxConnections: 20 })
  url = `postgres://postgres@127.0.0.1:${server.port}/postgres`
  await db.exec('create table t (n int)')
})
afterAll(async () => {
  await server.stop()
  await db.close()
})

test('hundreds of parameterised queries from three pools at once all get their own answers', async () => {
  const pools = [postgres(url, { max: 4 }), postgres(url, { max: 4 }), postgres(url, { max: 4 })]
  try {
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => pools[i % 3]!`select ${i}::int as n, ${'x' + i} as s`))
    results.forEach((rows, i) => expect(rows[0]).toEqual({ n: i, s: 'x' + i }))
  } finally {
    await Promise.all(pools.map((p) => p.end()))
  }
})

test('a transaction is invisible to other connections until it commits', async () => {
  const a = postgres(url, { max: 1 })
  const b = postgres(url, { max: 1 })
  try {
    let seenInside = -1
    let pending: Promise<{ c: number }[]> | null = null
    await a.begin(async (tx) => {
      await tx`insert into t values (1)`
      // b's query waits for the transaction, so it sees both rows at once.
      pending = b`select count(*)::int as c from t` as never
      await Bun.sleep(50)
      seenInside = (await tx`select count(*)::int as c from t`)[0]!.c
      await tx`insert into t values (2)`
    })
    expect(seenInside).toBe(1)
    expect((await pending!)[0]!.c).toBe(2)
  } finally {
    await a.end()
    await b.end()
  }
})

test('a client that disconnects in the middle of a transaction is rolled back and others carry on', async () => {
  const a = postgres(url, { max: 1 })
  const b = postgres(url, { max: 1 })
  const before = (await b`select count(*)::int as c from t`)[0]!.c
  const tx = a.begin(async (t) => {
    await t`insert into t values (99)`
    await Bun.sleep(10_000)
  })
  tx.catch(() => {})
  await Bun.sleep(100)
  await a.end({ timeout: 0.05 })
  const after = (await b`select count(*)::int as c from t`)[0]!.c
  expect(after).toBe(before)
  await b.end()
})

test('with a password, a client must prove it (MD5 challenge): the right one connects, a wrong or missing one is refused with 28P01', async () => {
  const guarded = await startPgliteWireServer(db, { host: '127.0.0.1', port: 0, maxConnections: 5, password: 's3cret-pass' })
  const at = (auth: string) => postgres(`postgres://${auth}@127.0.0.1:${guarded.port}/postgres`, { max: 1, connect_timeout: 5 })
  const refused = async (auth: string) => {
    const client = at(auth)
    try {
      await client`select 1`
      return 'connected'
    } catch (err) {
      return (err as { code?: string }).code
    } finally {
      await client.end({ timeout: 1 })
    }
  }
  try {
    const ok = at('postgres:s3cret-pass')
    expect([...(await ok`select 1 as one`)]).toEqual([{ one: 1 }])
    await ok.end()
    expect(await refused('postgres:wrong-pass')).toBe('28P01')
    expect(await refused('postgres')).toBe('28P01')
  } finally {
    await guarded.stop()
  }
})
