// `make build` rebuilds the web app only when a file in WEB_SOURCES changed
// (Makefile). Files outside client/ that the app imports at run time must be
// listed there, or an edit to them would leave a stale build.
import { expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '..')
const CLIENT = join(ROOT, 'client')
// A whole `import type …` (or `export type …`) leaves nothing in the bundle.
const IMPORT = /^\s*(import|export)\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  )
}

test('every runtime import of the web app from outside client/ is a build input in the Makefile', () => {
  const makefile = readFileSync(join(ROOT, 'Makefile'), 'utf8')
  const outside = new Set<string>()
  for (const file of sourceFiles(join(CLIENT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[2]!
      const target = spec.startsWith('@server/')
        ? join(ROOT, 'server', spec.slice(8))
        : spec.startsWith('.')
          ? resolve(dirname(file), spec)
          : null
      if (target && !target.startsWith(CLIENT)) outside.add(relative(ROOT, target).replace(/(\.ts)?$/, '.ts'))
    }
  }
  expect(outside.size).toBeGreaterThan(0)
  for (const path of outside) expect(makefile).toContain(path)
})
