// The pooler mode of createSql: queries through the pooler URL (here a TCP
// proxy, so the pooled path can be cut), LISTEN on the direct one. A real
// PgBouncer: pgbouncer.test.ts, and benchmarks/load (both modes).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTcpProxy, type TcpProxy } from '../../testing/tcpProxy.ts'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { createSql } from './db.ts'

let db: TestDatabase
let proxy: TcpProxy
beforeAll(async () => {
  db = await createTestDatabase()
  const target = new URL(db.url)
  proxy = startTcpProxy({ host: target.hostname, port: Number(target.port) })
})
afterAll(async () => {
  proxy.stop()
  await db.drop()
})

test('with a pooler, queries go through it and LISTEN keeps its own direct session', async () => {
  const sql = createSql(proxy.url(db.url), { max: 2, directUrl: db.url })
  try {
    for (const n of [1, 2, 3]) expect((await sql<{ n: number }[]>`select ${n}::int as n`)[0]!.n).toBe(n)
    const heard: string[] = []
    await sql.listen('kt_pooler_test', (payload) => heard.push(payload))
    // The pooled path goes away; the LISTEN session is not on it, so it still hears.
    proxy.down()
    await db.sql`select pg_notify('kt_pooler_test', 'still here')`
    for (let i = 0; i < 100 && heard.length === 0; i++) await Bun.sleep(20)
    expect(heard).toEqual(['still here'])
    await expect(sql`select 1`).rejects.toThrow()
  } finally {
    proxy.up()
    await sql.end({ timeout: 1 })
  }
})

test('end() closes the direct LISTEN session too', async () => {
  const name = `kt-pooler-${crypto.randomUUID().slice(0, 8)}`
  const sql = createSql(proxy.url(db.url), { max: 1, directUrl: db.url, applicationName: name })
  await sql.listen('kt_pooler_end', () => {})
  const open = async () =>
    (await db.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where application_name = ${name}`)[0]!.n
  expect(await open()).toBeGreaterThan(0)
  await sql.end({ timeout: 1 })
  for (let i = 0; i < 100 && (await open()) > 0; i++) await Bun.sleep(20)
  expect(await open()).toBe(0)
})
