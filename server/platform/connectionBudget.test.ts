import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { loadConfig } from './config.ts'
import { connectionShare, fleetConnections, logConnectionBudget } from './connectionBudget.ts'
import { createLogger } from './logger.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db.drop()
})

const config = loadConfig({ NODE_ENV: 'test', DB_POOL_MAX: '10', WORKER_CONCURRENCY: '2' })

test('each process’s share: the api’s pool + LISTEN + job queue; a worker’s pool + job queue', () => {
  expect(connectionShare('api', config)).toEqual({ role: 'api', pool: 10, listen: 1, queue: 3, total: 14, pooled: false })
  expect(connectionShare('worker', config)).toEqual({ role: 'worker', pool: 3, listen: 0, queue: 4, total: 7, pooled: false })
  // Two api instances, twenty workers and their supervisor: 2 × 14 + 20 × 7 + 1.
  expect(fleetConnections({ apiInstances: 2, workers: 20, supervisors: 1 }, config)).toBe(169)
})

test('through a pooler the api’s query pool costs the server only the pooler’s own connections', () => {
  const pooled = { ...config, DATABASE_POOLER_URL: 'postgres://pgbouncer:6432/kt' }
  expect(connectionShare('api', pooled)).toMatchObject({ pool: 10, total: 4, pooled: true })
  expect(fleetConnections({ apiInstances: 10, workers: 0, supervisors: 0, poolerServerConnections: 20 }, pooled)).toBe(60)
})

test('the share is logged next to the server’s limit, with a warning when it cannot fit', async () => {
  const lines: string[] = []
  const logger = createLogger('info', {}, (line) => lines.push(line))
  await logConnectionBudget(db.sql, logger, connectionShare('api', config))
  const info = JSON.parse(lines[0]!)
  expect(info).toMatchObject({ msg: 'connection budget', role: 'api', connections: 14 })
  expect(info.serverMaxConnections).toBeGreaterThan(0)
  expect(lines).toHaveLength(1)
  await logConnectionBudget(db.sql, logger, connectionShare('supervisor', config), {
    label: 'connectionsAtWorkersMax',
    connections: 100_000,
  })
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({
    level: 'warn',
    msg: 'connection budget exceeded: this process may not get the connections it is configured for',
    wanted: 100_000,
  })
})
