// Retrieval quality: re-runs the QMSum benchmark on real Postgres
// (benchmarks/retrieval-qmsum/postgres.ts, the product's hybridSearch) and
// copies the table it prints into RESULTS.md. How to read it:
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

const proc = Bun.spawn([process.execPath, 'run', join(REPO, 'benchmarks/retrieval-qmsum/postgres.ts')], { cwd: REPO, env: process.env, stdout: 'pipe', stderr: 'inherit' })
const killer = setTimeout(() => proc.kill('SIGKILL'), 300_000)
const out = await new Response(proc.stdout).text()
clearTimeout(killer)
const code = await proc.exited
process.stdout.write(out)
if (code !== 0) throw new Error(`benchmarks/retrieval-qmsum/postgres.ts exited with ${code}`)

// Everything after the machine line is Markdown: the setup line, then per scope a heading line and its table.
const report = out.slice(out.indexOf('\n', out.indexOf('machine:')) + 1).trim()
if (!report.includes('| hybrid')) throw new Error('no table in the output of benchmarks/retrieval-qmsum/postgres.ts')
updateResults('quality (QMSum)', machine, `${report}\n\nProduced by \`bun run benchmarks/retrieval-qmsum/postgres.ts\`; metrics and findings in [retrieval-qmsum/README.md](retrieval-qmsum/README.md).`, {
  durationSeconds: (performance.now() - started) / 1000,
})
