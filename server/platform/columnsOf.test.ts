// Column lists are typed against their rows: the type checker (part of `make
// test`) fails when a list lacks a field or names one that does not exist, and
// the camelCase names read the snake_case columns through the pool's transform.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { columnsOf } from './db.ts'

type Row = { id: string; displayName: string; createdAt: Date }

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

test('a list that lacks a field, or names one the row does not have, does not compile', () => {
  // @ts-expect-error createdAt is missing
  columnsOf<Row>()(['id', 'displayName'])
  // @ts-expect-error display_name is no field of the row
  columnsOf<Row>()(['id', 'display_name', 'createdAt'])
  expect(columnsOf<Row>()(['id', 'displayName', 'createdAt'])).toEqual(['id', 'displayName', 'createdAt'])
})

test('camelCase columns select the snake_case columns into the row', async () => {
  const columns = columnsOf<Row>()(['id', 'displayName', 'createdAt'])
  await db.sql`insert into users (email, display_name) values ('columns@example.com', 'Ada')`
  const [row] = await db.sql<Row[]>`select ${db.sql(columns)} from users where email = 'columns@example.com'`
  expect(Object.keys(row!).sort()).toEqual(['createdAt', 'displayName', 'id'])
  expect(row!.displayName).toBe('Ada')
})
