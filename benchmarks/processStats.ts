// CPU time of processes (and, for a supervisor, its children) and their
// resident memory from /proc, and the processes of the project-local Postgres
// cluster the benchmark uses.
// For Postgres, count the postmaster with its children (backends, live and reaped).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Sql } from 'postgres'
import { REPO } from './processes.ts'

const TICKS = 100 // USER_HZ on Linux

function stat(pid: number): { ppid: number; cpu: number; reapedChildrenCpu: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICKS, reapedChildrenCpu: (Number(f[13]) + Number(f[14])) / TICKS }
  } catch {
    return null
  }
}

function childrenOf(pids: number[]): number[] {
  const parents = new Set(pids)
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    const s = stat(pid)
    if (s && parents.has(s.ppid)) out.push(pid)
  }
  return out
}

/** CPU seconds used so far by the processes; with children: also their live children and the ones already reaped. */
export function cpuSeconds(pids: number[], withChildren = false): number {
  const own = pids.reduce((sum, pid) => sum + (stat(pid)?.cpu ?? 0) + (withChildren ? (stat(pid)?.reapedChildrenCpu ?? 0) : 0), 0)
  return withChildren ? own + childrenOf(pids).reduce((sum, pid) => sum + (stat(pid)?.cpu ?? 0), 0) : own
}

/** Resident memory of the processes now, in MiB; a process that has exited counts 0. */
export function rssOf(pids: number[]): number {
  let kib = 0
  for (const pid of pids) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    } catch {}
  }
  return kib / 1024
}

/** The postmaster of the project-local cluster (scripts/pg-local.sh, under .data/pg); count it with its children. */
export function ownPostmaster(): number[] {
  try {
    return [Number(readFileSync(join(REPO, '.data', 'pg', 'data', 'postmaster.pid'), 'utf8').split('\n')[0])]
  } catch {
    return []
  }
}

/** The postmaster's pid of the cluster this connection talks to (same machine only). */
export async function postmasterPid(sql: Sql): Promise<number> {
  const [row] = await sql<{ setting: string }[]>`select setting from pg_settings where name = 'data_directory'`
  return Number(readFileSync(join(row!.setting, 'postmaster.pid'), 'utf8').split('\n')[0])
}

/** "% of one core" used between the call and stop(), read by `read` (CPU seconds so far). */
export function cpuWindow(read: () => number): { stop(): number } {
  const cpu0 = read()
  const t0 = performance.now()
  return { stop: () => (100 * (read() - cpu0)) / ((performance.now() - t0) / 1000) }
}
