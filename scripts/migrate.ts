// `make migrate`: apply pending migrations to DATABASE_URL (or the embedded
// database, started just for this).
import { loadConfigOrExit } from '../server/platform/config.ts'
import { openDatabase } from '../server/platform/database.ts'
import { createSql } from '../server/platform/db.ts'
import { createLogger } from '../server/platform/logger.ts'
import { runMigrations } from '../server/platform/migrations.ts'

const config = loadConfigOrExit()
const logger = createLogger(config.LOG_LEVEL, { service: 'migrate' })
const { url, embedded } = await openDatabase(config, logger)
const sql = createSql(url, { max: 1 })
try {
  const applied = await runMigrations(sql, { logger })
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date')
} catch (err) {
  console.error((err as Error).message)
  process.exitCode = 1
} finally {
  await sql.end()
  await embedded?.stop()
}
