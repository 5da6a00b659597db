// The embedded default (no DATABASE_URL) is what `make dev` runs: PGlite with
// pgvector served over the wire protocol to postgres.js and pg-boss.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startJobQueue } from './platform/jobQueue.ts'
import { handlers } from '../jobs/handlers.ts'
import { startWorker } from '../jobs/worker.ts'
import { loadConfig } from './platform/config.ts'
import { createSql } from './platform/db.ts'
import { createLogger } from './platform/logger.ts'
import { startServer } from './server.ts'
import { makeUser } from '../testing/factories.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'kt-embedded-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const config = () =>
  loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    EMBEDDED_DB_PORT: '0',
    LOG_LEVEL: 'error',
    JWT_SECRET: 'embedded-test-secret-0123456789-abcdefgh',
  })
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

      // The whole pipeline on PGlite: upload -> ingest -> embed (HNSW index) -> hybrid search.
      const user = await makeUser(sql, config(), 'embedded')
      const [collection] = await sql`insert into collections (owner_id, name) values (${user.id}, 'c') returning id`
      await sql`insert into collection_members (collection_id, user_id, role) values (${collection!.id}, ${user.id}, 'owner')`
      const form = new FormData()
      form.set(
        'file',
        new File(
          [
            'WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nDiskCache stores values in SQLite files on disk.\n\n00:00:06.000 --> 00:00:09.000\nEviction policies keep the cache small.\n',
          ],
          'talk.vtt',
        ),
      )
      const added = await fetch(`${running.url}/api/collections/${collection!.id}/videos/transcripts`, {
        method: 'POST',
        body: form,
        headers: user.bearer,
      })
      expect(added.status).toBe(202)
      const video = (await added.json()) as { id: string }
      let status = ''
      for (let i = 0; i < 200 && status !== 'ready' && status !== 'failed'; i++) {
        status = (await sql`select status from videos where id = ${video.id}`)[0]!.status
        if (status !== 'ready') await Bun.sleep(100)
      }
      expect(status).toBe('ready')
      const search = await (
        await fetch(`${running.url}/api/collections/${collection!.id}/search?q=where%20are%20values%20stored`, { headers: user.bearer })
      ).json()
      expect(search.methods).toEqual({ vector: true, fullText: true })
      expect(search.hits[0].startSeconds).toBe(1)
    } finally {
      await queue.stop({ timeoutMs: 2000 })
      await sql.end()
      await running.stop()
    }

    const again = await startServer(config(), logger, { web: null })
    const sql2 = createSql(again.databaseUrl, { max: 1 })
    try {
      const rows = await sql2`select email from users`
      expect(rows.map((r) => r.email)).toContain('kept@example.com')
    } finally {
      await sql2.end()
      await again.stop()
    }
    // Two PGlite starts, migrations, a job and the whole pipeline through one
    // single-threaded database: on a loaded 2-core machine this took 145 s.
  }, 240_000)
})
