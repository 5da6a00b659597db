// Drill 3 in the test suite: Claude overloaded mid-stream while several users
// ask at once, billing on: every answer ends with an error event, keeps its
// streamed text, is charged once and generated once.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { apiConfig } from '../processes.ts'
import { formatDrill } from './drillResult.ts'
import { llmOverloadDrill } from './llmOverloadDrill.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db.drop()
})

test('Claude overloaded mid-stream under load: error event, partial kept, charged once, asked once', async () => {
  const result = await llmOverloadDrill({
    databaseUrl: db.url,
    sql: db.sql,
    config: apiConfig(db.url),
    clients: 6,
    seconds: 8,
    failAfterTokens: 6,
  })
  console.log(formatDrill(result))
  expect(formatDrill(result)).toStartWith('PASS')
}, 300_000)
