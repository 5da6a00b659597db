// Writes one benchmark's section of RESULTS.md between its markers, so the file
// only ever holds tables printed by real runs. Scripts call updateResults()
// at the end of a run; `--no-results` leaves the file alone (trial runs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { machineLine, type Machine } from './machine.ts'

export const RESULTS_FILE = join(import.meta.dir, 'RESULTS.md')

const HEADER = `# Benchmark results

Each section below is written by the script named in it, from its latest run
(\`make bench\` runs them all); nothing here is typed by hand. How to read each
figure: [README.md](README.md).
`

/** The command line that produced this run, as someone would retype it. */
export function commandLine(): string {
  const script = process.argv[1]!.replace(join(import.meta.dir, '..') + '/', '')
  return ['bun run', script, ...process.argv.slice(2)].join(' ')
}

export function updateResults(
  topic: string,
  machine: Machine,
  body: string,
  options: { command?: string; durationSeconds?: number } = {},
): void {
  if (process.argv.includes('--no-results')) return
  const begin = `<!-- BEGIN ${topic} -->`
  const end = `<!-- END ${topic} -->`
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const section = [
    begin,
    `Command: \`${options.command ?? commandLine()}\`  `,
    `Run: ${when}${options.durationSeconds !== undefined ? `, took ${Math.round(options.durationSeconds)} s` : ''}  `,
    `Machine: ${machineLine(machine)}`,
    '',
    body.trim(),
    end,
  ].join('\n')
  let text = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : HEADER
  const a = text.indexOf(begin)
  const b = text.indexOf(end)
  if (a >= 0 && b > a) text = text.slice(0, a) + section + text.slice(b + end.length)
  else text = `${text.trimEnd()}\n\n## ${topic}\n\n${section}\n`
  writeFileSync(RESULTS_FILE, text)
  console.log(`\nwrote the "${topic}" section of ${RESULTS_FILE}`)
}
