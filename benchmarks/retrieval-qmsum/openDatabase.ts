// The database a QMSum benchmark writes into: a fresh test database on the
// project-local cluster (TEST_DATABASE_URL, or the URL `bash
// scripts/pg-local.sh start` wrote), dropped at the end; else DATABASE_URL,
// migrated, for measuring on another server.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createSql, type Sql } from '../../server/platform/db.ts'
import { runMigrations } from '../../server/platform/migrations.ts'
import { createTestDatabase } from '../../testing/testDatabase.ts'

export async function openDatabase(): Promise<{ sql: Sql; cleanup: () => Promise<void> }> {
  const local = process.env.TEST_DATABASE_URL || existsSync(join(import.meta.dir, '../../.data/pg/url'))
  if (local || !process.env.DATABASE_URL) {
    const db = await createTestDatabase()
    return { sql: db.sql, cleanup: () => db.drop() }
  }
  const sql = createSql(process.env.DATABASE_URL, { max: 4 })
  await runMigrations(sql)
  return { sql, cleanup: () => sql.end() }
}
