// The embedded default (no DATABASE_URL) is what `make dev` runs: PGlite with
// pgvector served over the wire protocol to postgres.js and pg-boss.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startJobQueue } from '../jobs/jobQueue.ts'
import { handlers } from '../jobs/handlers.ts'
import { startWorker } from '../jobs/worker.ts'
import { loadConfig } from './platform/config.ts'
import { createSql } from './platform/db.ts'
import { createLogger } from './platform/logger.ts'
import { startServer } from './server.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'kt-embedded-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const config = () => loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, PORT: '0', EMBEDDED_DB_PORT: '0', LOG_LEVEL: 'error' })
const logger = createLogger('error')

describe('embedded database (no DATABASE_URL)', () => {
  test('migrates, answers /readyz, runs a vector query, completes a queued job, and keeps data across restarts', async () => {
    const running = await startServer(config(), logger, { web: null })
    const sql = createSql(running.databaseUrl, { max: 2 })
    const queue = await startJobQueue({ url: running.databaseUrl, logger })
    try {
      const ready = await fetch(`${running.url}/readyz`)
      expect(ready.status).toBe(200)

      const [row] = await sql`select ('[1,0,0]'::vector <=> '[0,1,0]'::vector) as distance`
      expect(Number(row!.distance)).toBeCloseTo(1, 5)

      await startWorker({ queue, sql, logger, config: config(), handlers, concurrency: 1 })
      const id = await queue.send('maintenance', {})
      let state: string | undefined
      for (let i = 0; i < 100 && state !== 'completed'; i++) {
        state = (await queue.boss.getJobById('maintenance', id!))?.state
        if (state !== 'completed') await Bun.sleep(100)
      }
      expect(state).toBe('completed')
      await sql`insert into users (email) values ('kept@example.com')`
    } finally {
      await queue.stop({ timeoutMs: 2000 })
      await sql.end()
      await running.stop()
    }

    const again = await startServer(config(), logger, { web: null })
    const sql2 = createSql(again.databaseUrl, { max: 1 })
    try {
      const rows = await sql2`select email from users`
      expect(rows.map((r) => r.email)).toEqual(['kept@example.com'])
    } finally {
      await sql2.end()
      await again.stop()
    }
  }, 60_000)
})
