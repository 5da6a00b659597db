// A connection whose server side goes away (Postgres restarted, a backend
// terminated, a pooler dropping it) must fail its queries with a catchable
// CONNECTION_CLOSED and then reconnect; postgres.js 3.4.9 instead threw from a
// timer callback and ended the process (patches/postgres+3.4.9.patch).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { createSql } from './db.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db.drop()
})

/** A query's outcome within a bound: its rows, its error code, or `hung`. */
async function settle(query: Promise<unknown>): Promise<string> {
  const outcome = query.then(
    () => 'ok',
    (error: { code?: string }) => `rejected ${error.code ?? 'error'}`,
  )
  return await Promise.race([outcome, Bun.sleep(15_000).then(() => 'hung')])
}

test('a reserved connection whose backend is terminated rejects its next queries, and the pool goes on', async () => {
  const sql = createSql(db.url, { max: 2 })
  try {
    const reserved = await sql.reserve()
    const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`
    await db.sql`select pg_terminate_backend(${row!.pid})`
    await Bun.sleep(100)
    // Unpatched, the second of these threw `socket.write` on null from setImmediate.
    expect(await settle(reserved`select 1`)).toBe('rejected CONNECTION_CLOSED')
    expect(await settle(reserved`select 1`)).toBe('rejected CONNECTION_CLOSED')
    reserved.release()
    const outcomes: string[] = []
    for (let i = 0; i < 4; i++) outcomes.push(await settle(sql`select 1`))
    // At most the released dead connection's turn fails; then the pool has reconnected.
    expect(outcomes.slice(-3)).toEqual(['ok', 'ok', 'ok'])
  } finally {
    await sql.end({ timeout: 1 })
  }
})

test('every backend terminated while queries are in flight: they settle, and new queries succeed', async () => {
  const sql = createSql(db.url, { max: 4, applicationName: 'kt-connection-loss' })
  try {
    await Promise.all([1, 2, 3, 4].map(() => sql`select pg_sleep(0.05)`))
    const inFlight = Array.from({ length: 40 }, (_, i) => settle(sql`select pg_sleep(0.2), ${i}::int`))
    await Bun.sleep(50)
    await db.sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kt-connection-loss'`
    const outcomes = await Promise.all(inFlight)
    expect(outcomes).not.toContain('hung')
    expect(outcomes.filter((o) => o !== 'ok' && !o.startsWith('rejected'))).toEqual([])
    expect(await settle(sql`select 1`)).toBe('ok')
  } finally {
    await sql.end({ timeout: 1 })
  }
})

test('backends killed every 150 ms under 32 concurrent queries: every query settles, and the pool serves again after', async () => {
  const sql = createSql(db.url, { max: 8, applicationName: 'kt-connection-churn' })
  try {
    let running = true
    const outcomes: string[] = []
    const client = async (i: number) => {
      while (running) outcomes.push(await settle(sql`select pg_sleep(0.01), ${i}::int`))
    }
    const clients = Promise.all(Array.from({ length: 32 }, (_, i) => client(i)))
    for (let round = 0; round < 20; round++) {
      await Bun.sleep(150)
      await db.sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kt-connection-churn'`
    }
    running = false
    await clients
    // Unpatched, a close with a write buffered left the connection's write timer set: its later writes were never flushed.
    expect(outcomes).not.toContain('hung')
    expect(outcomes.filter((o) => o.startsWith('rejected')).length).toBeGreaterThan(0)
    const after: string[] = []
    for (let i = 0; i < 16; i++) after.push(await settle(sql`select ${i}::int`))
    expect(after.slice(-8)).toEqual(Array(8).fill('ok'))
  } finally {
    await sql.end({ timeout: 1 })
  }
}, 120_000)
