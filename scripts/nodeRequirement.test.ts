// The README's Node.js requirement is what the tools Node runs here ask for:
// `make` runs tsc, Biome and knip with Node (their `#!/usr/bin/env node` bins,
// not through Bun), so their `engines.node`, and their dependencies', must
// accept the README's minimum. (Bun runs everything else, whatever its packages
// declare for Node; `make` installs with --loglevel=error so those warnings stay quiet.)
import { expect, test } from 'bun:test'
import { readFileSync, realpathSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '..')
type LockEntry = { engines?: { node?: string }; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }

/** The lock entry a package at `from` gets for `name`: its own node_modules first, then its parents'. */
function resolveIn(from: string, name: string): string | null {
  for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`
    if (lock.packages[candidate]) return candidate
    if (!dir) return null
  }
}

/** Every package the tool's code can load, with the Node range it declares. */
function nodeRanges(tool: string): Map<string, string> {
  const ranges = new Map<string, string>()
  const queue = [tool]
  const seen = new Set(queue)
  while (queue.length) {
    const at = queue.shift()!
    const entry = lock.packages[at]!
    if (entry.engines?.node) ranges.set(at, entry.engines.node)
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const next = resolveIn(at, name)
      if (next && !seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  return ranges
}

test("the README's Node.js minimum satisfies every tool make runs with Node, and their dependencies", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  // "with Node.js 20.19 or newer (22.12 or newer on Node 22) and npm 10 …": every minimum it names.
  const requirement = /with Node\.js (.*?) and npm/.exec(readme)?.[1] ?? ''
  const versions = [...requirement.matchAll(/\b(\d+)\.(\d+) or newer/g)].map((m) => `${m[1]}.${m[2]}.0`)
  expect(versions.length).toBeGreaterThan(0)

  const makefile = readFileSync(join(ROOT, 'Makefile'), 'utf8')
  const bins = [...new Set([...makefile.matchAll(/^\tnode_modules\/\.bin\/([\w-]+)/gm)].map((m) => m[1]!))]
  expect(bins.sort()).toEqual(['biome', 'knip', 'tsc'])
  const refused: string[] = []
  for (const bin of bins) {
    const script = realpathSync(join(ROOT, 'node_modules', '.bin', bin))
    expect(readFileSync(script, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true)
    // The package that owns the bin: the nearest node_modules/<name> above the script.
    const owner = relative(ROOT, script).match(/^(.*node_modules\/(@[^/]+\/)?[^/]+)\//)![1]!
    for (const [pkg, range] of nodeRanges(owner))
      for (const version of versions) if (!Bun.semver.satisfies(version, range)) refused.push(`${pkg} (${range}) refuses ${version}`)
  }
  expect(refused).toEqual([])
})
