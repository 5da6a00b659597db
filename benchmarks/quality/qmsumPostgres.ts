// Retrieval quality: re-runs the QMSum benchmark on real Postgres
// (benchmarks/retrieval-qmsum/postgres.ts, the product's hybridSearch) on both
// halves of the meetings, the "choose" half (where the constants were chosen:
// fusion, moment selection) and the held-out "report" half, and copies the
// tables it prints into RESULTS.md. How to read them:
// benchmarks/retrieval-qmsum/README.md.
//
//   bun run benchmarks/quality/qmsumPostgres.ts [--no-results]
import { join } from 'node:path'
import { createBenchDatabase } from '../benchDatabase.ts'
import { describeMachine, machineLine } from '../machine.ts'
import { REPO } from '../processes.ts'
import { updateResults } from '../updateResults.ts'

const started = performance.now()
const db = await createBenchDatabase()
let machine
try {
  machine = await describeMachine(db.sql)
} finally {
  await db.drop()
}
console.log(`machine: ${machineLine(machine)}`)

async function run(args: string[]): Promise<string> {
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
  if (!report.includes('| hybrid')) throw new Error('no table in the output of benchmarks/retrieval-qmsum/postgres.ts')
  return report
}

const load = await loadLine()
const report = await run(['--split', 'report'])
const choose = await run(['--split', 'choose', '--sweep-moments'])
updateResults(
  'quality (QMSum)',
  machine,
  `${load}\n\n### Held-out half (report)\n\n${report}\n\n### The half the constants were chosen on (choose)\n\n${choose}\n\nProduced by \`bun run benchmarks/retrieval-qmsum/postgres.ts --split report\` and \`--split choose --sweep-moments\`; metrics and findings in [retrieval-qmsum/README.md](retrieval-qmsum/README.md).`,
  { durationSeconds: (performance.now() - started) / 1000 },
)

/** The machine is shared: say how busy it was when the run began. */
async function loadLine(): Promise<string> {
  const [one, five] = (await Bun.file('/proc/loadavg').text()).split(' ')
  return `Load average when the run began: ${one} (1 min), ${five} (5 min) on ${navigator.hardwareConcurrency} cores; latencies are wall time on a shared machine.`
}
