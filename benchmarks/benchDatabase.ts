// A fresh, migrated database for one benchmark run on the project-local
// cluster (TEST_DATABASE_URL, or the URL `bash scripts/pg-local.sh start`
// wrote), dropped at the end. Built from the test template when it exists,
// else migrated here, so a benchmark never rebuilds a template tests rely on.
import postgres from 'postgres'
import { runMigrations } from '../server/platform/migrations.ts'
import { adminUrl, createTestDatabase, TEMPLATE_DB, type TestDatabase } from '../testing/testDatabase.ts'

export async function createBenchDatabase(): Promise<TestDatabase> {
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} })
  let hasTemplate = false
  try {
    const [row] = await admin<{ n: number }[]>`select count(*)::int as n from pg_database where datname = ${TEMPLATE_DB}`
    hasTemplate = row!.n > 0
  } finally {
    await admin.end()
  }
  const db = await createTestDatabase({ template: hasTemplate ? TEMPLATE_DB : null })
  if (!hasTemplate) await runMigrations(db.sql)
  return db
}
