// CPU time of processes read from /proc (utime + stime), to report what a
// benchmark costs the api and Postgres as "% of one core" over a window.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Sql } from 'postgres'

const TICKS_PER_SECOND = 100 // USER_HZ; 100 on every Linux this runs on

type Stat = { ppid: number; cpuSeconds: number }

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND }
  } catch {
    return null
  }
}

/** CPU seconds used so far by one process (NaN once it has gone). */
export function cpuSeconds(pid: number): number {
  return stat(pid)?.cpuSeconds ?? NaN
}

/**
 * CPU seconds used so far by a process and its live children. For Postgres
 * (postmaster + backends) this misses backends that exited inside the window;
 * the api's pooled connections live for the whole run, so little is missed.
 */
export function treeCpuSeconds(rootPid: number): number {
  let total = cpuSeconds(rootPid)
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    const s = stat(pid)
    if (s?.ppid === rootPid) total += s.cpuSeconds
  }
  return total
}

/** The postmaster's pid of the cluster this connection talks to (same machine only). */
export async function postmasterPid(sql: Sql): Promise<number> {
  const [row] = await sql<{ setting: string }[]>`select setting from pg_settings where name = 'data_directory'`
  return Number(readFileSync(join(row!.setting, 'postmaster.pid'), 'utf8').split('\n')[0])
}

/** Measures "% of one core" between start() and stop(). */
export function cpuWindow(read: () => number): { stop(): number } {
  const cpu0 = read()
  const t0 = performance.now()
  return {
    stop: () => (100 * (read() - cpu0)) / ((performance.now() - t0) / 1000),
  }
}
