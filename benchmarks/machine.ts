// The machine a benchmark ran on, printed before its figures and written into
// RESULTS.md beside them: numbers mean little without the cores, memory and
// versions that produced them.
import { cpus, release, totalmem } from 'node:os'
import type { Sql } from '../server/platform/db.ts'

export type Machine = { cores: number; cpu: string; memoryGiB: number; os: string; bun: string; postgres: string; pgvector: string }

export async function describeMachine(sql: Sql): Promise<Machine> {
  const [row] = await sql<{ server: string; vector: string | null }[]>`
    select current_setting('server_version') as server,
           (select extversion from pg_extension where extname = 'vector') as vector`
  const cpu = cpus()
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform}-${process.arch} ${release()}`,
    bun: Bun.version,
    postgres: row!.server.split(' ')[0]!,
    pgvector: row!.vector ?? 'not installed',
  }
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, ${m.os}, Bun ${m.bun}, PostgreSQL ${m.postgres}, pgvector ${m.pgvector}`
}

/** Prints the machine and returns it; every benchmark calls this first. */
export async function printMachine(sql: Sql): Promise<Machine> {
  const m = await describeMachine(sql)
  console.log(`machine: ${machineLine(m)}`)
  return m
}
