// Reads a Chrome-format .cpuprofile (what `bun --cpu-prof` writes) and splits
// the sampled CPU time by where it was spent: our own code by capability
// folder and file, libraries by package, native work by Bun's frame name.
import { readFileSync } from 'node:fs'

type Frame = { functionName: string; url: string }
type Node = { id: number; callFrame: Frame; hitCount?: number; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const IDLE = new Set(['(idle)', '(program)'])

/** "server/retrieval/sql.ts", "postgres (driver)", "elysia", or "native: JSON.stringify". */
function placeOf(frame: Frame, repo: string): string | null {
  const url = frame.url.replace(/^file:\/\//, '')
  // Bun's built-in modules (node:net, internal:streams) count toward whoever called them.
  if (!url || /^(node|internal|bun):/.test(url)) return null
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith(repo)) return url.slice(repo.length + 1)
  return url
}

type Split = { totalMs: number; idleMs: number; byPlace: Map<string, number>; byFunction: Map<string, number> }

/**
 * Self time per place: each sample goes to the innermost frame that has a
 * source file of ours or of a package (native frames such as JSON.parse and
 * Bun's node:net count toward their caller, which is where the work was asked
 * for). Samples in the first skipMs of the profile (start-up, warm-up) and
 * after untilMs (shutdown) are left out.
 */
export function splitProfile(path: string, repo: string, skipMs = 0, untilMs = Number.POSITIVE_INFINITY): Split {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const placeCache = new Map<number, string>()
  const placeFor = (id: number): string => {
    const cached = placeCache.get(id)
    if (cached) return cached
    let at: number | undefined = id
    let place = 'native (no JavaScript caller)'
    while (at !== undefined) {
      const p = placeOf(byId.get(at)!.callFrame, repo)
      if (p) {
        place = p
        break
      }
      at = parent.get(at)
    }
    placeCache.set(id, place)
    return place
  }
  const split: Split = { totalMs: 0, idleMs: 0, byPlace: new Map(), byFunction: new Map() }
  let at = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    at += ms
    if (at < skipMs || at > untilMs) return
    const node = byId.get(id)!
    split.totalMs += ms
    if (IDLE.has(node.callFrame.functionName)) {
      split.idleMs += ms
      return
    }
    const place = placeFor(id)
    split.byPlace.set(place, (split.byPlace.get(place) ?? 0) + ms)
    const fn = `${node.callFrame.functionName || '(anonymous)'} (${node.callFrame.url.startsWith('file://') ? place : node.callFrame.url || place})`
    split.byFunction.set(fn, (split.byFunction.get(fn) ?? 0) + ms)
  })
  return split
}

/** The n largest entries of a map, largest first. */
export function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
}
