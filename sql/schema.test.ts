import { expect, test } from 'bun:test'
import { dumpSchema, SCHEMA_FILE } from '../testing/schemaDump.ts'

test('sql/schema.sql matches the migrations (run `make schema` after adding one)', async () => {
  const expected = await dumpSchema()
  const committed = await Bun.file(SCHEMA_FILE).text()
  expect(committed).toBe(expected)
})
