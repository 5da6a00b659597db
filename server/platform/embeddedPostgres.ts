// The zero-install default: PGlite (Postgres compiled to WASM) with pgvector,
// persisted under the data dir and served over the Postgres wire protocol so
// postgres.js, pg-boss and the worker process talk to it like any other server
// (see pgliteWireServer.ts for why not pglite-socket's server).
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { startPgliteWireServer } from './pgliteWireServer.ts'

export type EmbeddedPostgres = { url: string; port: number; stop(): Promise<void> }

// postgres.js pools of the api and worker plus pg-boss's own pools; PGlite runs
// one query at a time, so extra connections only queue.
const MAX_CONNECTIONS = 120

export async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<EmbeddedPostgres> {
  const dir = resolve(options.dataDir, 'pglite')
  mkdirSync(dir, { recursive: true })
  const db = await PGlite.create({ dataDir: dir, extensions: { vector } })
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector')
  // Loopback only, and a password new at every start: other local users and
  // processes cannot walk in (PGlite itself would accept anyone).
  const password = randomBytes(24).toString('base64url')
  const server = await startPgliteWireServer(db, { host: '127.0.0.1', port: options.port, maxConnections: MAX_CONNECTIONS, password })
  const port = server.port
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop()
      await db.close()
    },
  }
}
