// Forward-only SQL migrations from sql/NNNN_name.sql. Each file runs in its own
// transaction under one advisory lock, so any number of processes may start at
// once and every file is applied exactly once. Landed files are checksummed: an
// edited one stops the process, naming the file.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from './logger.ts'
import type { Sql } from './db.ts'

// Any constant works; it only has to be the same in every process.
const MIGRATION_LOCK_KEY = 7_414_203_911
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/

export type MigrationFile = { name: string; checksum: string; sql: string }

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

export const DEFAULT_MIGRATIONS_DIR = join(import.meta.dir, '..', '..', 'sql')

export function readMigrationFiles(dir: string = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.sql') && f !== 'schema.sql')
    .sort()
  const seen = new Set<string>()
  return names.map((name) => {
    const m = FILE_NAME.exec(name)
    if (!m) throw new MigrationError(`Migration file name ${name} must look like 0001_snake_case_name.sql`)
    if (seen.has(m[1]!)) throw new MigrationError(`Two migrations share the number ${m[1]} (${name})`)
    seen.add(m[1]!)
    const sql = readFileSync(join(dir, name), 'utf8')
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
  })
}

async function ensureTable(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`
    await tx`
      create table if not exists schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`
  })
}

type Applied = { name: string; checksum: string }

/** Checks applied migrations against the files; returns the applied ones newer than every file. */
function verifyLanded(files: MigrationFile[], applied: Applied[]): string[] {
  const byName = new Map(files.map((f) => [f.name, f]))
  const last = files.at(-1)?.name ?? ''
  const newer: string[] = []
  for (const row of applied) {
    const file = byName.get(row.name)
    // A newer release applied it (expand steps keep the schema compatible), and
    // this one is still running or was rolled back to: carry on.
    if (!file && row.name > last) {
      newer.push(row.name)
      continue
    }
    if (!file) throw new MigrationError(`Migration ${row.name} was applied to this database but its file is missing from sql/`)
    if (file.checksum !== row.checksum)
      throw new MigrationError(
        `Migration ${row.name} was edited after it was applied (checksum mismatch). Landed migrations are never edited: add a new file instead.`,
      )
  }
  return newer
}

export async function runMigrations(sql: Sql, options: { dir?: string; logger?: Logger } = {}): Promise<string[]> {
  const files = readMigrationFiles(options.dir)
  await ensureTable(sql)
  const newer = verifyLanded(files, await sql<Applied[]>`select name, checksum from schema_migrations`)
  if (newer.length)
    options.logger?.warn('the database has migrations newer than this release (a rollback?); running on the expanded schema', { newer })
  const appliedNow: string[] = []
  for (const file of files) {
    const didApply = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`
      const [row] = await tx<Applied[]>`select name, checksum from schema_migrations where name = ${file.name}`
      if (row) {
        if (row.checksum !== file.checksum) verifyLanded([file], [row])
        return false
      }
      try {
        await tx.unsafe(file.sql)
      } catch (err) {
        throw new MigrationError(`Migration ${file.name} failed: ${(err as Error).message}`, { cause: err })
      }
      await tx`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`
      return true
    })
    if (didApply) {
      appliedNow.push(file.name)
      options.logger?.info('migration applied', { migration: file.name })
    }
  }
  return appliedNow
}

/** Names of migration files not yet applied (empty when the schema is current). */
export async function pendingMigrations(
  sql: Sql,
  dir?: string,
  names: string[] = readMigrationFiles(dir).map((f) => f.name),
): Promise<string[]> {
  const [exists] = await sql<{ t: string | null }[]>`select to_regclass('schema_migrations')::text as t`
  if (!exists?.t) return names
  const applied = new Set((await sql<Applied[]>`select name from schema_migrations`).map((r) => r.name))
  return names.filter((name) => !applied.has(name))
}
