// Drill 4 in the test suite: the api instance streaming an answer is SIGKILLed;
// its client resumes through nginx on the other instance with Last-Event-ID and
// gets every token once, then the interrupted end once the lease runs out (30 s).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { apiConfig } from '../processes.ts'
import { apiKillDrill } from './apiKillDrill.ts'
import { formatDrill } from './drillResult.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db.drop()
})

test('an api instance killed mid-stream: the client resumes through nginx on the other, no token lost or repeated', async () => {
  const result = await apiKillDrill({ databaseUrl: db.url, sql: db.sql, config: apiConfig(db.url), timeoutMs: 120_000 })
  console.log(formatDrill(result))
  expect(formatDrill(result)).toStartWith('PASS')
}, 300_000)
