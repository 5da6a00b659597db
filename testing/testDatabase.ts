// Test databases on the project-local Postgres cluster: one migrated template
// built per `make test`, and a fresh `CREATE DATABASE … TEMPLATE` per test file,
// so files never see each other's rows.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import postgres from 'postgres'
import { createSql, type Sql } from '../server/platform/db.ts'
import { runMigrations } from '../server/platform/migrations.ts'

export const TEMPLATE_DB = 'kt_template'
const REPO = join(import.meta.dir, '..')

/** Admin URL of the test cluster: TEST_DATABASE_URL, else what scripts/pg-local.sh wrote. */
export function adminUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL
  const file = join(REPO, '.data', 'pg', 'url')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  throw new Error('No test database: run `make test` (it starts the project-local cluster), or set TEST_DATABASE_URL.')
}

export function urlForDatabase(name: string): string {
  const u = new URL(adminUrl())
  u.pathname = '/' + name
  return u.toString()
}

function admin() {
  return postgres(adminUrl(), { max: 1, onnotice: () => {} })
}

export async function buildTemplate(): Promise<void> {
  const a = admin()
  try {
    await a.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`)
    await a.unsafe(`create database ${TEMPLATE_DB}`)
  } finally {
    await a.end()
  }
  const sql = createSql(urlForDatabase(TEMPLATE_DB), { max: 1 })
  try {
    await runMigrations(sql)
  } finally {
    await sql.end()
  }
}

export type TestDatabase = { name: string; url: string; sql: Sql; drop(): Promise<void> }

export async function createTestDatabase(options: { template?: string | null } = {}): Promise<TestDatabase> {
  const name = `kt_test_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
  const a = admin()
  try {
    const template = options.template === undefined ? TEMPLATE_DB : options.template
    await a.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`)
  } finally {
    await a.end()
  }
  const url = urlForDatabase(name)
  const sql = createSql(url, { max: 5 })
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 1 })
      const b = admin()
      try {
        await b.unsafe(`drop database if exists ${name} with (force)`)
      } finally {
        await b.end()
      }
    },
  }
}
