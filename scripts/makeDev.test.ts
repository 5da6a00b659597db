// `make dev` and `make build` rebuild the web app only when something it is
// built from changed, and `make dev WATCH=1` runs Vite's dev server with no
// build at all: the Makefile's own rules, dry-run (`make -n`) in a scratch tree
// that has its shape (sources, the install stamp, a finished build) with set times.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '..')
const BUILD = 'client/.output/server/entry-server.js'
const CLIENT_SOURCE = 'client/src/components/Hero.tsx'
const SERVER_ONLY = 'server/chat/routes.ts'
let dir: string

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes))
function file(path: string, when: Date): void {
  const full = join(dir, path)
  mkdirSync(dirname(full), { recursive: true })
  writeFileSync(full, '')
  utimesSync(full, when, when)
}

/** What `make -n <args>` would run. */
function dryRun(...args: string[]): string {
  const run = Bun.spawnSync(['make', '--no-print-directory', '-n', ...args], { cwd: dir, env: { ...process.env, MAKEFLAGS: '' } })
  expect(run.exitCode).toBe(0)
  return run.stdout.toString()
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kt-make-'))
  copyFileSync(join(ROOT, 'Makefile'), join(dir, 'Makefile'))
  for (const path of ['package.json', 'package-lock.json']) file(path, at(0))
  file('node_modules/.install-stamp', at(1))
  for (const path of [
    CLIENT_SOURCE,
    'client/public/favicon.svg',
    'client/vite.config.ts',
    'client/tsconfig.json',
    'server/platform/sameSitePath.ts',
    'server/platform/scrub.ts',
    SERVER_ONLY,
  ])
    file(path, at(2))
  file(BUILD, at(3))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('nothing changed since the last build: make dev starts without building', () => {
  expect(dryRun('build')).not.toContain('vite build')
  const dev = dryRun('dev')
  expect(dev).not.toContain('vite build')
  expect(dev).toContain('scripts/dev.ts')
})

test('a server-only change does not rebuild the web app; a client change does', () => {
  file(SERVER_ONLY, at(4))
  expect(dryRun('dev')).not.toContain('vite build')
  file(CLIENT_SOURCE, at(5))
  expect(dryRun('dev')).toContain('vite build')
  expect(dryRun('build')).toContain('vite build')
})

test('make dev WATCH=1 runs the dev server in watch mode and never builds', () => {
  // The client source is still newer than the build here.
  const watch = dryRun('dev', 'WATCH=1')
  expect(watch).not.toContain('vite build')
  expect(watch).toContain('KT_DEV_WATCH=1')
  expect(dryRun('dev')).toContain('KT_DEV_WATCH= ')
})

test('new packages (a changed lock file) install again and rebuild', () => {
  file(BUILD, at(6))
  file('package-lock.json', at(7))
  const dev = dryRun('dev')
  expect(dev).toContain('npm ci')
  expect(dev).toContain('vite build')
})
