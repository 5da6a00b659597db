// Running benchmarks/retrieval-qmsum/postgres.ts as a child and keeping its
// Markdown, for the scripts that copy its tables into RESULTS.md.
import { join } from 'node:path'
import { createBenchDatabase } from '../benchDatabase.ts'
import { describeMachine, type Machine } from '../machine.ts'
import { REPO } from '../processes.ts'

/** The machine line, read from a throwaway database on the cluster the runs will use. */
export async function qmsumMachine(): Promise<Machine> {
  const db = await createBenchDatabase()
  try {
    return await describeMachine(db.sql)
  } finally {
    await db.drop()
  }
}

/** The report postgres.ts prints with `args` (everything after its machine line); throws without a table. */
export async function runQmsum(args: string[], expect: string): Promise<string> {
  const proc = Bun.spawn([process.execPath, 'run', join(REPO, 'benchmarks/retrieval-qmsum/postgres.ts'), ...args], {
    cwd: REPO,
    env: process.env,
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const killer = setTimeout(() => proc.kill('SIGKILL'), 1_200_000)
  const out = await new Response(proc.stdout).text()
  clearTimeout(killer)
  const code = await proc.exited
  process.stdout.write(out)
  if (code !== 0) throw new Error(`benchmarks/retrieval-qmsum/postgres.ts ${args.join(' ')} exited with ${code}`)
  // Everything after the machine line is Markdown: the setup line, then per scope a heading and its tables.
  const report = out.slice(out.indexOf('\n', out.indexOf('machine:')) + 1).trim()
  if (!report.includes(expect)) throw new Error('no table in the output of benchmarks/retrieval-qmsum/postgres.ts')
  return report
}

/** The machine is shared: say how busy it was when the run began. */
export async function loadLine(): Promise<string> {
  const [one, five] = (await Bun.file('/proc/loadavg').text()).split(' ')
  return `Load average when the run began: ${one} (1 min), ${five} (5 min) on ${navigator.hardwareConcurrency} cores; latencies are wall time on a shared machine.`
}
