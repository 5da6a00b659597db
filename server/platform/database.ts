// Resolves where the database is: DATABASE_URL, or the embedded PGlite server
// this process starts. The embedded server's URL is written to the data dir so
// a worker started without DATABASE_URL finds it.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Config } from './config.ts'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres.ts'
import type { Logger } from './logger.ts'

const URL_FILE = 'embedded-db.url'

export async function openDatabase(config: Config, logger: Logger): Promise<{ url: string; embedded: EmbeddedPostgres | null }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null }
  mkdirSync(resolve(config.DATA_DIR), { recursive: true })
  const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_DB_PORT })
  // The URL holds the database's password: readable by this user only.
  const file = join(resolve(config.DATA_DIR), URL_FILE)
  writeFileSync(file, embedded.url + '\n', { mode: 0o600 })
  chmodSync(file, 0o600) // a file left by an earlier run keeps its old mode otherwise
  logger.info('embedded database started', { port: embedded.port, dataDir: resolve(config.DATA_DIR), host: '127.0.0.1' })
  return {
    url: embedded.url,
    embedded: {
      ...embedded,
      async stop() {
        rmSync(join(resolve(config.DATA_DIR), URL_FILE), { force: true })
        await embedded.stop()
      },
    },
  }
}

/** For processes that use, but do not own, the database (the worker). */
export function findDatabaseUrl(config: Config): string | null {
  if (config.DATABASE_URL) return config.DATABASE_URL
  const file = join(resolve(config.DATA_DIR), URL_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null
}
