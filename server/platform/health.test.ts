import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startTcpProxy, type TcpProxy } from '../../testing/tcpProxy.ts'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { request } from '../../testing/testApp.ts'
import { createNoopMeter } from '@opentelemetry/api'
import { createSql, type Sql } from './db.ts'
import { healthRoutes } from './health.ts'

let db: TestDatabase
let proxy: TcpProxy
let sql: Sql
let queueUp = true

beforeAll(async () => {
  db = await createTestDatabase()
  const target = new URL(db.url)
  proxy = startTcpProxy({ host: target.hostname, port: Number(target.port) })
  sql = createSql(proxy.url(db.url), { max: 2 })
})
afterAll(async () => {
  await sql.end({ timeout: 1 })
  proxy.stop()
  await db.drop()
})

const app = () => healthRoutes({ sql, queueStarted: () => queueUp })

describe('health', () => {
  test('/healthz answers while the process is alive', async () => {
    const res = await app().handle(request('/healthz'))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  test('/readyz is 503 while the database is down and 200 again once it is back, without a restart', async () => {
    const routes = app()
    expect((await routes.handle(request('/readyz'))).status).toBe(200)

    proxy.down()
    const down = await routes.handle(request('/readyz'))
    expect(down.status).toBe(503)
    expect(await down.json()).toEqual({ status: 'unavailable', reason: 'database unreachable' })

    proxy.up()
    let status = 0
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await routes.handle(request('/readyz'))).status
      if (status !== 200) await Bun.sleep(100)
    }
    expect(status).toBe(200)
  })

  test('/readyz names pending migrations', async () => {
    const empty = await createTestDatabase({ template: null })
    const emptySql = createSql(empty.url, { max: 1 })
    try {
      const res = await healthRoutes({ sql: emptySql, queueStarted: () => true }).handle(request('/readyz'))
      expect(res.status).toBe(503)
      expect((await res.json()).reason).toMatch(/^migrations pending: 0001_core\.sql/)
    } finally {
      await emptySql.end()
      await empty.drop()
    }
  })

  test('/readyz is 503 until the job queue has started', async () => {
    queueUp = false
    try {
      const res = await app().handle(request('/readyz'))
      expect(res.status).toBe(503)
      expect((await res.json()).reason).toBe('job queue not started')
    } finally {
      queueUp = true
    }
  })

  test('/readyz fails within its bound, naming an exhausted pool, while every connection is taken', async () => {
    const pool = createSql(db.url, { max: 2, meter: createNoopMeter() })
    const release = Promise.withResolvers<void>()
    const holders = [0, 1, 2].map(() =>
      pool.begin(async (tx) => {
        await tx`select 1`
        await release.promise
      }),
    )
    try {
      const res = await healthRoutes({ sql: pool, queueStarted: () => true, acquireTimeoutMs: 300 }).handle(request('/readyz'))
      expect(res.status).toBe(503)
      expect((await res.json()).reason).toBe('database pool exhausted: no connection within 300 ms (2 queries waiting for 2 connections)')
    } finally {
      release.resolve()
      await Promise.all(holders)
      await pool.end({ timeout: 1 })
    }
  })
})
