// The database goes away while an answer streams (a restart, a failover): the
// events produced meanwhile are kept and written once it is back, in order,
// so a client resuming on another instance misses nothing; the terminal event
// is acknowledged only once it is stored.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTcpProxy, type TcpProxy } from '../../testing/tcpProxy.ts'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { createSql, type Sql } from '../platform/db.ts'
import { createLogger } from '../platform/logger.ts'
import { createStreamHub, type StreamHub } from './streamHub.ts'

let db: TestDatabase
let proxy: TcpProxy
let sql: Sql
let hub: StreamHub
beforeAll(async () => {
  db = await createTestDatabase()
  const target = new URL(db.url)
  proxy = startTcpProxy({ host: target.hostname, port: Number(target.port) })
  sql = createSql(proxy.url(db.url), { max: 2 })
  hub = createStreamHub(sql, { mode: 'poll', logger: createLogger('error') })
})
afterAll(async () => {
  await hub.shutdown()
  await sql.end({ timeout: 1 })
  proxy.stop()
  await db.drop()
})

test('events emitted while the database is away are written, in order, once it is back; the end waits for that', async () => {
  const streamId = crypto.randomUUID()
  hub.open(streamId)
  await hub.emit(streamId, 'sources', { sources: [] })
  proxy.down()
  hub.appendText(streamId, 'Stored ')
  await Bun.sleep(100)
  hub.appendText(streamId, 'after the outage.')
  let ended = false
  const end = hub.emit(streamId, 'done', { status: 'complete' }).then(() => (ended = true))
  await Bun.sleep(500)
  expect(ended).toBe(false)
  proxy.up()
  await Promise.race([end, Bun.sleep(15_000)])
  expect(ended).toBe(true)
  hub.close(streamId)
  const rows = await db.sql<{ seq: number; event: string; data: { text?: string } }[]>`
    select seq, event, data from stream_events where stream_id = ${streamId} order by seq`
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1))
  expect(rows[0]!.event).toBe('sources')
  expect(rows.at(-1)!.event).toBe('done')
  expect(
    rows
      .filter((r) => r.event === 'token')
      .map((r) => r.data.text)
      .join(''),
  ).toBe('Stored after the outage.')
})
