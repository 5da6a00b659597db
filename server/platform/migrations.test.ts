import { afterEach, describe, expect, test } from 'bun:test'
import { cpSync, mkdtempSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts'
import { createSql } from './db.ts'
import { DEFAULT_MIGRATIONS_DIR, MigrationError, pendingMigrations, readMigrationFiles, runMigrations } from './migrations.ts'

const dbs: TestDatabase[] = []
async function emptyDb() {
  const db = await createTestDatabase({ template: null })
  dbs.push(db)
  return db
}
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.drop()
})

function tempMigrations(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-mig-'))
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body)
  return dir
}

describe('migration runner', () => {
  test('applies every file on a fresh database and records name and checksum', async () => {
    const db = await emptyDb()
    const applied = await runMigrations(db.sql)
    const files = readMigrationFiles()
    expect(applied).toEqual(files.map((f) => f.name))
    const rows = await db.sql<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations order by name`
    expect([...rows]).toEqual(files.map((f) => ({ name: f.name, checksum: f.checksum })))
    expect(await pendingMigrations(db.sql)).toEqual([])
    const [t] = await db.sql`select to_regclass('public.chunk_embeddings')::text as t`
    expect(t?.t).toBe('chunk_embeddings')
  })

  test('a second run applies nothing', async () => {
    const db = await emptyDb()
    await runMigrations(db.sql)
    expect(await runMigrations(db.sql)).toEqual([])
  })

  test('refuses to run when a landed file was edited, naming the file', async () => {
    const db = await emptyDb()
    const dir = mkdtempSync(join(tmpdir(), 'kt-mig-'))
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true })
    await runMigrations(db.sql, { dir })
    const first = readMigrationFiles(dir)[0]!.name
    appendFileSync(join(dir, first), '\n-- a sneaky edit\n')
    const err = await runMigrations(db.sql, { dir }).catch((e) => e)
    expect(err).toBeInstanceOf(MigrationError)
    expect(err.message).toContain(first)
    expect(err.message).toContain('edited')
  })

  test('an older release runs on a database a newer release migrated (rollback), but not with a file missing in between', async () => {
    const db = await emptyDb()
    const newer = tempMigrations({
      '0001_a.sql': 'create table a (n int);',
      '0002_b.sql': 'create table b (n int);',
      '0003_c.sql': 'create table c (n int);',
    })
    await runMigrations(db.sql, { dir: newer })
    const older = tempMigrations({ '0001_a.sql': 'create table a (n int);', '0002_b.sql': 'create table b (n int);' })
    expect(await runMigrations(db.sql, { dir: older })).toEqual([])
    expect(await pendingMigrations(db.sql, older)).toEqual([])
    const gap = tempMigrations({ '0001_a.sql': 'create table a (n int);', '0003_c.sql': 'create table c (n int);' })
    const err = await runMigrations(db.sql, { dir: gap }).catch((e) => e)
    expect(err).toBeInstanceOf(MigrationError)
    expect(err.message).toContain('0002_b.sql')
  })

  test('two runners started at the same moment apply each file exactly once', async () => {
    const db = await emptyDb()
    const dir = tempMigrations({
      '0001_a.sql': 'create table counter (n int); insert into counter values (1);',
      '0002_b.sql': 'update counter set n = n + 1;',
      '0003_c.sql': 'update counter set n = n + 10;',
    })
    const other = createSql(db.url, { max: 1 })
    try {
      const [a, b] = await Promise.all([runMigrations(db.sql, { dir }), runMigrations(other, { dir })])
      expect([...a, ...b].sort()).toEqual(['0001_a.sql', '0002_b.sql', '0003_c.sql'])
      const [row] = await db.sql<{ n: number }[]>`select n from counter`
      expect(row!.n).toBe(12)
    } finally {
      await other.end()
    }
  })

  test('a failing migration leaves no partial change behind', async () => {
    const db = await emptyDb()
    const dir = tempMigrations({
      '0001_ok.sql': 'create table kept (id int);',
      '0002_broken.sql': 'create table half_done (id int);\ninsert into kept values (1);\nselect 1/0;',
    })
    const err = await runMigrations(db.sql, { dir }).catch((e) => e)
    expect(err).toBeInstanceOf(MigrationError)
    expect(err.message).toContain('0002_broken.sql')
    const [half] = await db.sql`select to_regclass('public.half_done')::text as t`
    expect(half?.t).toBeNull()
    expect((await db.sql`select count(*)::int as n from kept`)[0]!.n).toBe(0)
    expect((await db.sql`select name from schema_migrations`).map((r) => r.name)).toEqual(['0001_ok.sql'])
  })

  test('rejects badly named files', () => {
    const dir = tempMigrations({ '1_bad.sql': 'select 1' })
    expect(() => readMigrationFiles(dir)).toThrow(/0001_snake_case_name/)
  })
})
