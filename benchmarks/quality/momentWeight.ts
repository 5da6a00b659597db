// Moment selection with and without the local embedder's cosine, on both
// halves of QMSum: the choose half (where the decision was made) and the
// held-out report half (where it is checked). Hybrid search only: the ranking
// does not depend on moment options, so each half's first relevant passages
// are scored under both settings (momentSweep.ts MOMENT_CHOICES), with the
// CPU each costs per passage. A few minutes instead of qmsumPostgres.ts's half hour.
//
//   bun run benchmarks/quality/momentWeight.ts [--no-results]
import { updateResults } from '../updateResults.ts'
import { machineLine } from '../machine.ts'
import { loadLine, qmsumMachine, runQmsum } from './qmsumRun.ts'

const started = performance.now()
const machine = await qmsumMachine()
console.log(`machine: ${machineLine(machine)}`)

const load = await loadLine()
const report = await runQmsum(['--split', 'report', '--moments-only'], '| vector weight')
const choose = await runQmsum(['--split', 'choose', '--moments-only'], '| vector weight')
updateResults(
  'moment selection (QMSum)',
  machine,
  `${load} µs per passage is wall time of \`selectMoment\` in one process, comparable between the rows of one table.\n\n### Held-out half (report)\n\n${report}\n\n### The half the choice was made on (choose)\n\n${choose}\n\nThe decision and how to read the columns: [retrieval-qmsum/README.md](retrieval-qmsum/README.md) "Moment selection".`,
  { durationSeconds: (performance.now() - started) / 1000 },
)
