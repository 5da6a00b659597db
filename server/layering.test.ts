// Dependencies point one way, and this test keeps them so. It reads the imports
// of every source file (tests excluded: they may seed through any layer):
// - platform/ leans on nothing else in server/: capabilities use it, never the reverse;
// - the api (server/) imports neither the worker (jobs/) nor the web app (client/);
//   only the process entry, server/main.ts, composes the api with the web app;
// - a capability reads another capability's data through its exported
//   functions, never through its sql.ts;
// - SQL of a capability (and of the jobs) lives in its sql.ts (or a
//   `<topic>Sql.ts` beside it, such as chat's messageSql.ts), so one folder's
//   SQL files answer "who writes this column?".
import { expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const REPO = resolve(import.meta.dir, '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.split('/').includes('node_modules'))
    .map((f) => join(dir, f))
}

/** Repository-relative paths of the project files a file imports (type-only imports included). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(REPO, file), 'utf8'), true, true)
  return importedFiles
    .map((i) => i.fileName)
    .filter((p) => p.startsWith('.'))
    .map((p) => relative(REPO, resolve(REPO, dirname(file), p)))
}

/** The capability a path belongs to (`server/chat/…` → `chat`), or null for platform/ and the root files. */
function capabilityOf(path: string): string | null {
  const [top, folder, ...rest] = path.split('/')
  if (top !== 'server' || rest.length === 0 || folder === 'platform') return null
  return folder!
}

const isSqlFile = (path: string) => /(^|\/)sql\.ts$|Sql\.ts$/.test(path)

test('the layering rules hold for every import', () => {
  const violations: string[] = []
  for (const file of sourceFiles('server')) {
    for (const target of importsOf(file)) {
      const edge = `${file} imports ${target}`
      if (file.startsWith('server/platform/') && target.startsWith('server/') && !target.startsWith('server/platform/'))
        violations.push(`${edge}: platform/ must not depend on a capability`)
      if (/^(jobs|client)\//.test(target) && file !== 'server/main.ts')
        violations.push(`${edge}: the api must not import the worker or the web app (main.ts composes them)`)
      const from = capabilityOf(file)
      const to = capabilityOf(target)
      if (from && to && from !== to && isSqlFile(target))
        violations.push(`${edge}: go through ${to}'s exported service functions, not its SQL`)
    }
  }
  expect(violations).toEqual([])
})

// A postgres.js tagged template: sql`…`, tx`…`, db<Row[]>`…`.
const TAGGED_SQL = /\b(?:sql|tx|db)(?:<[^`]*?>)?`/

test('SQL of capabilities and jobs lives only in sql.ts files', () => {
  const offenders = [...sourceFiles('server'), ...sourceFiles('jobs')]
    .filter((f) => (capabilityOf(f) !== null || f.startsWith('jobs/')) && !isSqlFile(f))
    .filter((f) => TAGGED_SQL.test(readFileSync(join(REPO, f), 'utf8')))
  expect(offenders).toEqual([])
})

test('the checks see real imports (a guard against a test that passes by reading nothing)', () => {
  expect(importsOf('server/app.ts')).toContain('server/platform/config.ts')
  expect(importsOf('server/main.ts')).toContain('client/serve.ts')
  expect(capabilityOf('server/chat/service.ts')).toBe('chat')
  expect(capabilityOf('server/platform/db.ts')).toBeNull()
  expect(TAGGED_SQL.test('await db<{ id: string }[]>`select 1`')).toBe(true)
})
