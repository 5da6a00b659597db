// A release runs on hosts from its tarball alone (scripts/deploy/release.sh):
// the committed files it lists, the built web app and production
// node_modules. Starting from what the hosts' systemd units run, every import
// (static or dynamic) must resolve to a listed file or to a package in
// package.json's `dependencies` (the release installs with --omit=dev) —
// otherwise the api or a worker dies at start on every host, and only the
// deploy's health gate would notice.
import { expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '../..')
const UNIT_TEMPLATES = join(ROOT, 'ansible/roles/app/templates')
const transpiler = new Bun.Transpiler({ loader: 'ts' })

/** What the app role's systemd units start: `…/bin/bun <file>`. */
function entrypoints(): string[] {
  const found = new Set<string>()
  for (const name of readdirSync(UNIT_TEMPLATES)) {
    for (const m of readFileSync(join(UNIT_TEMPLATES, name), 'utf8').matchAll(/^ExecStart=.*\/bin\/bun (\S+)/gm)) found.add(m[1]!)
  }
  return [...found].sort()
}

function shippedFiles(): Set<string> {
  const out = Bun.spawnSync(['bash', 'scripts/deploy/release.sh', '--list-files'], { cwd: ROOT })
  if (out.exitCode !== 0) throw new Error(out.stderr.toString())
  return new Set(out.stdout.toString().trim().split('\n'))
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
}

const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || specifier.startsWith('bun:') || specifier === 'bun' || builtinModules.includes(specifier)

/** Walks the imports from `entries`; returns what a release would miss. */
function missingFromRelease(entries: string[], shipped: Set<string>, dependencies: Set<string>): string[] {
  const missing: string[] = []
  const seen = new Set<string>()
  const queue = [...entries]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    if (!shipped.has(file)) {
      missing.push(`${file} (not in the release)`)
      continue
    }
    if (!/\.[cm]?[jt]s$/.test(file)) continue
    for (const { path: specifier } of transpiler.scanImports(readFileSync(join(ROOT, file), 'utf8'))) {
      if (isBuiltin(specifier)) continue
      if (specifier.startsWith('.')) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), specifier))
        const candidates = [target, `${target}.ts`, join(target, 'index.ts')]
        queue.push(candidates.find((c) => shipped.has(c)) ?? candidates.find((c) => existsSync(join(ROOT, c))) ?? target)
      } else if (!dependencies.has(packageOf(specifier))) {
        missing.push(`${specifier} imported by ${file} (not a production dependency)`)
      }
    }
  }
  return missing
}

test('the hosts run server/main.ts, jobs/main.ts, jobs/supervisor.ts and scripts/migrate.ts', () => {
  expect(entrypoints()).toEqual(['jobs/main.ts', 'jobs/supervisor.ts', 'scripts/migrate.ts', 'server/main.ts'])
})

test('everything those import is in the release: listed files and production dependencies only', () => {
  const dependencies = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies))
  expect(missingFromRelease(entrypoints(), shippedFiles(), dependencies)).toEqual([])
})

test('the check finds what a release would miss', () => {
  const shipped = shippedFiles()
  shipped.delete('client/devProxy.ts')
  const dependencies = new Set(['postgres'])
  const missing = missingFromRelease(['server/main.ts'], shipped, dependencies)
  expect(missing).toContain('client/devProxy.ts (not in the release)')
  expect(missing.some((m) => m.startsWith('elysia imported by'))).toBe(true)
})
