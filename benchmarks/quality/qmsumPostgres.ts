// Retrieval quality: re-runs the QMSum benchmark on real Postgres
// (benchmarks/retrieval-qmsum/postgres.ts, the product's hybridSearch) on both
// halves of the meetings, the "choose" half (where the constants were chosen:
// fusion, moment selection) and the held-out "report" half, and copies the
// tables it prints into RESULTS.md. How to read them:
// benchmarks/retrieval-qmsum/README.md.
//
//   bun run benchmarks/quality/qmsumPostgres.ts [--no-results]
import { updateResults } from '../updateResults.ts'
import { machineLine } from '../machine.ts'
import { loadLine, qmsumMachine, runQmsum } from './qmsumRun.ts'

const started = performance.now()
const machine = await qmsumMachine()
console.log(`machine: ${machineLine(machine)}`)

const load = await loadLine()
const report = await runQmsum(['--split', 'report'], '| hybrid')
const choose = await runQmsum(['--split', 'choose', '--sweep-moments'], '| hybrid')
updateResults(
  'quality (QMSum)',
  machine,
  `${load}\n\n### Held-out half (report)\n\n${report}\n\n### The half the constants were chosen on (choose)\n\n${choose}\n\nProduced by \`bun run benchmarks/retrieval-qmsum/postgres.ts --split report\` and \`--split choose --sweep-moments\`; metrics and findings in [retrieval-qmsum/README.md](retrieval-qmsum/README.md).`,
  { durationSeconds: (performance.now() - started) / 1000 },
)
